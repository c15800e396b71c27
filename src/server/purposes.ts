/**
 * POST /api/v2/purpose: a purpose and its sub-purposes, keyed by `name`. Sub-purpose names carry
 * their parent's prefix (`Research.Clinical` under `Research`), and every name is unique across
 * the tenant.
 */
import type { Problem } from "../errors";
import { canonicalJson } from "../payload/canonical";
import type { PurposePayload, PurposeResponse, Subpurpose } from "../payload/types";
import { EMPTY_MEANS_DEFAULT } from "./choices";
import { badRequest } from "./http-error";
import type { Context, Plan } from "./plan";
import type { Query } from "./query";
import type { PurposeRecord } from "./records";

/** Every name a purpose defines (its own first), with each acknowledgement, and the problems. */
export function walkPurpose(payload: PurposePayload) {
  const acknowledgements = new Map<string, unknown>([[payload.name, payload.acknowledgement]]);
  const problems: Problem[] = [];
  const visit = (parent: string, children: readonly Subpurpose[], path: string) => {
    children.forEach((child, i) => {
      const at = `${path}[${i}].name`;
      if (!child.name.startsWith(`${parent}.`) || child.name.length <= parent.length + 1) {
        problems.push({
          path: at,
          message: `must carry its parent's name as a prefix: "${parent}.<name>" (got "${child.name}")`,
        });
      } else if (acknowledgements.has(child.name)) {
        problems.push({ path: at, message: `"${child.name}" is defined twice` });
      }
      acknowledgements.set(child.name, child.acknowledgement);
      visit(child.name, child.subpurposes ?? [], `${path}[${i}].subpurposes`);
    });
  };
  visit(payload.name, payload.subpurposes ?? [], "subpurposes");
  return { names: [...acknowledgements.keys()], acknowledgements, problems };
}

/**
 * The payload with every field that has a system default dropped where it is "" (see
 * `EMPTY_MEANS_DEFAULT`): stored, compared and read back as omitted.
 */
export function withoutEmptyDefaults<T extends PurposePayload | Subpurpose>(purpose: T): T {
  let out: T = purpose;
  for (const field of EMPTY_MEANS_DEFAULT.purpose) {
    if (out[field] === "") {
      const { [field]: _, ...rest } = out;
      out = rest as T;
    }
  }
  if (!purpose.subpurposes) return out;
  return { ...out, subpurposes: purpose.subpurposes.map(withoutEmptyDefaults) };
}

export function planPurpose(
  context: Context,
  sent: PurposePayload,
  query: Query,
): Plan<PurposeResponse, PurposeRecord> {
  const { state, now } = context;
  const payload = withoutEmptyDefaults(sent);
  const key = payload.name;
  const { names, acknowledgements, problems } = walkPurpose(payload);
  for (const name of names) {
    const owner = state.purposeNames.get(name);
    if (owner !== undefined && owner !== key) {
      problems.push({
        path: name === key ? "name" : "subpurposes",
        message: `"${name}" is already defined by purpose "${owner}"`,
      });
    }
  }
  if (problems.length > 0) throw badRequest(problems);

  const previous = state.get("purpose", key);
  const payloadJson = canonicalJson(payload);
  const changed = previous?.payload !== payloadJson;
  const response: PurposeResponse = {
    dryRun: query.dryRun,
    creating: !previous,
    updating: previous !== undefined && changed,
    purposeId: previous?.id ?? state.peekId("purpose"),
  };
  if (!changed) return { response };
  let acknowledgementChanged = false;
  if (previous) {
    const before = walkPurpose(JSON.parse(previous.payload) as PurposePayload).acknowledgements;
    for (const [name, text] of acknowledgements) {
      if (before.has(name) && before.get(name) !== text) acknowledgementChanged = true;
    }
  }
  const at = new Date(now).toISOString();
  return {
    response,
    record: {
      kind: "purpose",
      key,
      id: response.purposeId,
      createdAt: previous?.createdAt ?? at,
      updatedAt: at,
      payload: payloadJson,
      names,
      // Project members must re-acknowledge when asked to and the statement changed.
      reAcknowledgementRequired:
        (query.reAcknowledgeRequired && acknowledgementChanged) ||
        (previous?.reAcknowledgementRequired ?? false),
    },
  };
}
