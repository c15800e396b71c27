/**
 * Tag hierarchy: `PII.Email` is under `PII`. A tag list's closure (each tag and its ancestors) is
 * built once per distinct list and shared, so that matching a circumstance or a masking field is
 * one set lookup however many data sources share the list.
 */
import { TAG_SEPARATOR } from "./choices";

/** The tag and each of its ancestors: `A.B.C` gives `A.B.C`, `A`, `A.B`. */
export function tagAndAncestors(tag: string): string[] {
  const out = [tag];
  for (let i = tag.indexOf(TAG_SEPARATOR); i > 0; i = tag.indexOf(TAG_SEPARATOR, i + 1)) {
    out.push(tag.slice(0, i));
  }
  return out;
}

/** `tag` is `wanted` or under it. */
export function isUnder(tag: string, wanted: string): boolean {
  return (
    tag === wanted ||
    (tag.length > wanted.length &&
      tag.startsWith(wanted) &&
      tag.charAt(wanted.length) === TAG_SEPARATOR)
  );
}

/** How deep a tag sits in the hierarchy: `PII` 1, `PII.SSN` 2. */
export function tagDepth(tag: string): number {
  let depth = 1;
  for (let i = tag.indexOf(TAG_SEPARATOR); i >= 0; i = tag.indexOf(TAG_SEPARATOR, i + 1)) depth++;
  return depth;
}

const closures = new WeakMap<readonly string[], ReadonlySet<string>>();

/** Every tag of the list and every ancestor of one: "is anything here under X" is `has(X)`. */
export function closureOf(tags: readonly string[]): ReadonlySet<string> {
  let closure = closures.get(tags);
  if (!closure) {
    const set = new Set<string>();
    for (const tag of tags) for (const t of tagAndAncestors(tag)) set.add(t);
    closure = set;
    closures.set(tags, closure);
  }
  return closure;
}

/** The first tag of the list that is `wanted` or under it. */
export function firstUnder(tags: readonly string[], wanted: string): string | undefined {
  return tags.find((tag) => isUnder(tag, wanted));
}

/** `[A, B]`, or `none` for an empty list: how messages show tag lists. */
export function listTags(tags: readonly string[]): string {
  return tags.length === 0 ? "no tags" : `[${tags.join(", ")}]`;
}
