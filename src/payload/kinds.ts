/**
 * The four kinds of V2 objects, and what identifies each. Everything that needs to know "which
 * field is the key" or "which endpoint" asks here, so there is one place to change.
 */

export const KINDS = ["data", "policy", "project", "purpose"] as const;
export type Kind = (typeof KINDS)[number];

/** The field that keys each kind; POSTing the same key again updates that object. */
export const KEY_FIELD = {
  data: "connectionKey",
  policy: "policyKey",
  project: "projectKey",
  purpose: "name",
} as const satisfies Record<Kind, string>;

/** What people call each kind in messages. */
export const KIND_LABEL: Record<Kind, string> = {
  data: "data source connection",
  policy: "global policy",
  project: "project",
  purpose: "purpose",
};

/** `3 global policies`, `1 purpose`. */
export function countOf(kind: Kind, n: number): string {
  const label = KIND_LABEL[kind];
  return `${n} ${n === 1 ? label : kind === "policy" ? "global policies" : `${label}s`}`;
}

export function isKind(value: unknown): value is Kind {
  return typeof value === "string" && (KINDS as readonly string[]).includes(value);
}

/** The path of a kind's endpoint, e.g. `/api/v2/policy`. */
export function endpointPath(kind: Kind): string {
  return `/api/v2/${kind}`;
}

/**
 * The kind of a payload, from its key field: `connectionKey` is data, `policyKey` a policy,
 * `projectKey` a project, and an object with only `name` a purpose. Undefined when none fits.
 */
export function detectKind(payload: unknown): Kind | undefined {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return undefined;
  const fields = payload as Record<string, unknown>;
  if ("connectionKey" in fields) return "data";
  if ("policyKey" in fields) return "policy";
  if ("projectKey" in fields) return "project";
  if ("name" in fields) return "purpose";
  return undefined;
}

/** The key of a payload of a known kind, when it is a string. */
export function payloadKey(kind: Kind, payload: unknown): string | undefined {
  if (payload === null || typeof payload !== "object") return undefined;
  const key = (payload as Record<string, unknown>)[KEY_FIELD[kind]];
  return typeof key === "string" ? key : undefined;
}
