/**
 * POST /api/v2/policy: a global policy, keyed by `policyKey`. The response says whether it was
 * created or updated and which data sources its circumstances match now.
 */
import { canonicalJson } from "../payload/canonical";
import type { PolicyPayload, PolicyResponse } from "../payload/types";
import { appliedTo, compileCircumstances } from "./applies";
import { badRequest } from "./http-error";
import type { Context, Plan } from "./plan";
import type { Query } from "./query";
import type { PolicyRecord } from "./records";

export function planPolicy(
  context: Context,
  payload: PolicyPayload,
  query: Query,
): Plan<PolicyResponse, PolicyRecord> {
  const { state, now } = context;
  const { compiled, problems } = compileCircumstances(state, payload.circumstances ?? []);
  if (problems.length > 0) throw badRequest(problems);

  const previous = state.get("policy", payload.policyKey);
  const payloadJson = canonicalJson(payload);
  const changed = previous?.payload !== payloadJson;
  const response: PolicyResponse = {
    dryRun: query.dryRun,
    creating: !previous,
    updating: previous !== undefined && changed,
    policyId: previous?.id ?? state.peekId("policy"),
    appliedTo: appliedTo(state, compiled, payload.circumstanceOperator ?? "any", now),
  };
  if (!changed) return { response };
  const certificationChanged =
    previous !== undefined &&
    canonicalJson((JSON.parse(previous.payload) as PolicyPayload).certification ?? null) !==
      canonicalJson(payload.certification ?? null);
  const at = new Date(now).toISOString();
  return {
    response,
    record: {
      kind: "policy",
      key: payload.policyKey,
      id: response.policyId,
      createdAt: previous?.createdAt ?? at,
      updatedAt: at,
      payload: payloadJson,
      // Someone must re-certify when asked to and the certification changed; until then it stays due.
      recertificationRequired:
        (query.reCertify && certificationChanged) || (previous?.recertificationRequired ?? false),
    },
  };
}
