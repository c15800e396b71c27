/**
 * Who gains or loses access, for a reviewer: the groups, attributes and purposes a subscription
 * policy or a project grants, compared between the payload before and after a change.
 */
import type { Kind } from "../payload/kinds";

export interface AccessChange {
  readonly gained: readonly string[];
  readonly lost: readonly string[];
}

type Json = Record<string, unknown> | undefined;

function entitlementGrants(actions: Json): string[] {
  if (!actions) return [];
  const grants: string[] = [];
  if (actions.type === "anyone") grants.push("anyone");
  const entitlements = actions.entitlements as Json;
  for (const group of (entitlements?.groups as unknown[] | undefined) ?? []) {
    grants.push(`group ${describe(group)}`);
  }
  for (const attribute of (entitlements?.attributes as Json[] | undefined) ?? []) {
    grants.push(`attribute ${describe(attribute?.name)}=${describe(attribute?.value)}`);
  }
  return grants;
}

function describe(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** What a payload grants: for a subscription policy its entitlements, for a project its purposes too. */
export function grantsOf(kind: Kind, payload: unknown): string[] | undefined {
  const p = payload as Json;
  if (!p) return [];
  if (kind === "policy") {
    return p.type === "subscription" ? entitlementGrants(p.actions as Json) : undefined;
  }
  if (kind === "project") {
    const purposes = ((p.purposes as unknown[] | undefined) ?? []).map(
      (x) => `purpose ${describe(x)}`,
    );
    return [...purposes, ...entitlementGrants(p.subscriptionPolicy as Json)];
  }
  return undefined;
}

/** Grants gained and lost from `before` to `after`; undefined for kinds that grant nothing. */
export function accessChange(
  kind: Kind,
  before: unknown,
  after: unknown,
): AccessChange | undefined {
  const was = grantsOf(kind, before);
  const now = grantsOf(kind, after);
  if (was === undefined && now === undefined) return undefined;
  const a = new Set(was ?? []);
  const b = new Set(now ?? []);
  return {
    gained: [...b].filter((g) => !a.has(g)),
    lost: [...a].filter((g) => !b.has(g)),
  };
}
