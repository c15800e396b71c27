/**
 * The names of what a tenant synthesizes: one resource block per kind (its instances keyed by the
 * objects' keys), a guard that runs first and a confirm step that runs last, and the stack output
 * recording what the confirm step saw applied. Providers write these names and the review reads
 * them, from this one place.
 */
import type { Kind } from "../payload/kinds";

/** Creation order: what a kind's objects may name is created before them (and deleted after). */
export const KINDS_IN_ORDER: readonly Kind[] = ["purpose", "data", "policy", "project"];

/** The kinds whose objects another kind's objects may name, for each kind: its block's dependencies. */
export const NAMED_KINDS: Readonly<Record<Kind, readonly Kind[]>> = {
  purpose: [],
  data: [],
  // A purpose restriction names purposes.
  policy: ["purpose"],
  project: ["purpose", "data"],
};

/** A provider's construct id made fit for Terraform names (letters, digits, `_`; no leading digit). */
export function tenantPrefix(providerId: string): string {
  const name = providerId.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

export const blockName = (prefix: string, kind: Kind): string => `${prefix}_${kind}`;
export const guardName = (prefix: string): string => `${prefix}_guard`;
export const confirmName = (prefix: string, kind: Kind): string => `${prefix}_${kind}_confirm`;
export const recordOutputName = (prefix: string): string => `${prefix}_manifest`;

/** `purpose/Research`: how records and messages name one object across kinds. */
export const entryName = (kind: Kind, key: string): string => `${kind}/${key}`;

export function parseEntryName(entry: string): { kind: Kind; key: string } | undefined {
  const slash = entry.indexOf("/");
  const kind = entry.slice(0, slash) as Kind;
  return slash > 0 && KINDS_IN_ORDER.includes(kind)
    ? { kind, key: entry.slice(slash + 1) }
    : undefined;
}
