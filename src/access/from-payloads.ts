/**
 * A tenant from a mixed list of payloads (as payload files or a synthesized stack hold them),
 * sorted by kind the way the CLI tells kinds apart, with Immuta's alternative spellings
 * (`requiredPermissions`, `allowedMaskedJoins`) normalised.
 */
import { PayloadFileError } from "../errors";
import { normalizeAliases } from "../payload/aliases";
import { detectKind } from "../payload/kinds";
import type {
  AnyPayload,
  DataSourcePayload,
  PolicyPayload,
  ProjectPayload,
  PurposePayload,
} from "../payload/types";
import type { TenantInput } from "./types";

export function tenantFromPayloads(
  payloads: readonly AnyPayload[],
  extra: Pick<TenantInput, "catalog" | "caller"> = {},
): TenantInput {
  const dataSources: DataSourcePayload[] = [];
  const policies: PolicyPayload[] = [];
  const projects: ProjectPayload[] = [];
  const purposes: PurposePayload[] = [];
  payloads.forEach((payload, i) => {
    const kind = detectKind(payload);
    switch (kind) {
      case "data":
        dataSources.push(normalizeAliases(kind, payload as DataSourcePayload));
        break;
      case "policy":
        policies.push(normalizeAliases(kind, payload as PolicyPayload));
        break;
      case "project":
        projects.push(normalizeAliases(kind, payload as ProjectPayload));
        break;
      case "purpose":
        purposes.push(normalizeAliases(kind, payload as PurposePayload));
        break;
      default:
        throw new PayloadFileError(
          `payloads[${i}]: not a V2 payload (it has none of connectionKey, policyKey, projectKey, name)`,
        );
    }
  });
  return { dataSources, policies, projects, purposes, ...extra };
}
