/**
 * One object per distinct tag list, column and column list: data sources alike (a connection's
 * tables, tables tagged the same way) share them, so that the simulator evaluates each distinct
 * shape once and memory stays proportional to the variety, not the count.
 */
import type { ResolvedColumn, ResolvedSource, SourceIds } from "./resolve";

/** The empty tag list every untagged table and column shares. */
export const NONE: readonly string[] = Object.freeze([]);
const NO_OWNERS = {};

export class Interner {
  private readonly tagLists = new Map<string, readonly string[]>();
  private readonly columnsByKey = new Map<string, ResolvedColumn>();
  private readonly lists = new Map<string, readonly ResolvedColumn[]>();
  private readonly keys = new WeakMap<object, string>();
  private readonly numbers = new Map<object, number>();
  private readonly shapes = new Map<string, number>();

  ids(source: Omit<ResolvedSource, "ids">): SourceIds {
    const table = this.number(source.tableTags);
    const columns = this.number(source.columns);
    const pair = `${table},${columns}`;
    let shape = this.shapes.get(pair);
    if (shape === undefined) this.shapes.set(pair, (shape = this.shapes.size + 1));
    return { table, columns, shape, owners: this.number(source.owners ?? NO_OWNERS) };
  }

  private number(shared: object): number {
    let n = this.numbers.get(shared);
    if (n === undefined) this.numbers.set(shared, (n = this.numbers.size + 1));
    return n;
  }

  tags(tags: readonly string[]): readonly string[] {
    if (tags.length === 0) return NONE;
    const key = tags.join("\u0001");
    let list = this.tagLists.get(key);
    if (!list) {
      this.tagLists.set(key, (list = tags));
      this.keys.set(list, key);
    }
    return list;
  }

  column(name: string, tags: readonly string[]): ResolvedColumn {
    const key = `${name}\u0002${this.keys.get(tags) ?? ""}`;
    let column = this.columnsByKey.get(key);
    if (!column) {
      this.columnsByKey.set(key, (column = { name, tags }));
      this.keys.set(column, key);
    }
    return column;
  }

  columns(columns: readonly ResolvedColumn[]): readonly ResolvedColumn[] {
    const key = columns.map((c) => this.keys.get(c)).join("\u0003");
    let list = this.lists.get(key);
    if (!list) this.lists.set(key, (list = columns));
    return list;
  }
}
