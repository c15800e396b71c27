/**
 * Data sources by tag, so that a policy's `appliedTo` costs what it matches, not the size of the
 * tenant. Tags are hierarchical (see `TAG_SEPARATOR`): a source tagged `PII.Email` is found under
 * `PII` too.
 */
import { TAG_SEPARATOR } from "./choices";
import type { ColumnTagState, SourceState } from "./records";

export type TagScope = "table" | "column";

export class TagIndex {
  private readonly sources = new Map<string, Set<SourceState>>();

  add(source: SourceState): void {
    for (const key of keysOf(source)) {
      let set = this.sources.get(key);
      if (!set) this.sources.set(key, (set = new Set()));
      set.add(source);
    }
  }

  remove(source: SourceState): void {
    for (const key of keysOf(source)) {
      const set = this.sources.get(key);
      if (!set) continue;
      set.delete(source);
      if (set.size === 0) this.sources.delete(key);
    }
  }

  /** The sources carrying the tag, or a descendant of it, at that scope. */
  get(scope: TagScope, tag: string): ReadonlySet<SourceState> {
    return this.sources.get(`${scope}\0${tag}`) ?? EMPTY;
  }
}

const EMPTY: ReadonlySet<SourceState> = new Set();

/** The tag and each of its ancestors: `A.B.C` gives `A`, `A.B`, `A.B.C`. */
export function tagAndAncestors(tag: string): string[] {
  const out = [tag];
  for (let i = tag.indexOf(TAG_SEPARATOR); i > 0; i = tag.indexOf(TAG_SEPARATOR, i + 1)) {
    out.push(tag.slice(0, i));
  }
  return out;
}

/** Keys per tag list; lists are shared between sources tagged alike, so most lookups hit. */
const tableKeys = new WeakMap<readonly string[], readonly string[]>();
const columnKeys = new WeakMap<readonly ColumnTagState[], readonly string[]>();

function keysOf(source: SourceState): readonly string[] {
  let table = tableKeys.get(source.tableTags);
  if (!table) {
    table = scoped("table", source.tableTags);
    tableKeys.set(source.tableTags, table);
  }
  let column = columnKeys.get(source.columnTags);
  if (!column) {
    column = scoped(
      "column",
      source.columnTags.flatMap((c) => c.tags),
    );
    columnKeys.set(source.columnTags, column);
  }
  return column.length === 0 ? table : table.length === 0 ? column : [...table, ...column];
}

function scoped(scope: TagScope, tags: readonly string[]): readonly string[] {
  const keys = new Set<string>();
  for (const tag of tags) for (const t of tagAndAncestors(tag)) keys.add(`${scope}\0${t}`);
  return [...keys];
}
