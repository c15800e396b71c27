/**
 * Construct props → V2 payload, one pure function per kind. Props are the payload's own fields
 * plus options that are not part of it (query flags, the tenant); these drop the options and
 * turn object references into the names Immuta knows. Whatever else is in the props stays, so
 * that a misspelt field reaches the validator and is reported, not silently dropped.
 */
import type {
  DataSourcePayload,
  PolicyPayload,
  ProjectPayload,
  PurposePayload,
} from "../payload/types";

/** Options every construct takes that are not payload fields. */
const CONSTRUCT_OPTIONS = ["provider", "adopt"] as const;

function omit<T extends object>(props: T, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) {
    if (!names.includes(k) && v !== undefined) out[k] = v;
  }
  return out;
}

export function dataSourcePayload(props: object): DataSourcePayload {
  return omit(props, [...CONSTRUCT_OPTIONS, "wait"]) as unknown as DataSourcePayload;
}

export function policyPayload(props: object): PolicyPayload {
  return omit(props, [...CONSTRUCT_OPTIONS, "reCertify"]) as unknown as PolicyPayload;
}

export function purposePayload(props: object): PurposePayload {
  return omit(props, [...CONSTRUCT_OPTIONS, "reAcknowledgeRequired"]) as unknown as PurposePayload;
}

export function projectPayload(props: {
  readonly purposes?: readonly (string | { readonly purposeName: string })[];
  readonly [field: string]: unknown;
}): ProjectPayload {
  const payload = omit(props, [...CONSTRUCT_OPTIONS, "deleteDataSourcesOnWorkspaceDelete"]);
  if (props.purposes) {
    payload.purposes = props.purposes.map((p) => (typeof p === "string" ? p : p.purposeName));
  }
  return payload as unknown as ProjectPayload;
}
