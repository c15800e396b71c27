/**
 * The data sources a connection payload asks for: each listed table (looked up in the catalog),
 * each query, and for `{ all: true }` (or no `sources` at all) every other table the connection
 * can see (only its `connection.schema`, when it has one), each with its name from the name
 * template and its table and column tags. Linear in the payload: catalog lookups are by key.
 */
import type { Problem } from "../errors";
import type { DataSourcePayload, Source, TableSource } from "../payload/types";
import { columnOf, fold, type CatalogDatabase, type CatalogTable } from "./catalog";
import { dataSourceName, literalDatabase } from "../payload/naming";
import { NO_COLUMN_TAGS, NO_TAGS, type ColumnTagState } from "./records";

export interface DesiredSource {
  readonly name: string;
  /** Its entry in `sources` (-1 when `sources` is omitted); see `sourcePath`. */
  readonly index: number;
  /** The catalog's table, or a query. */
  readonly target: CatalogTable | string;
  readonly tableTags: readonly string[];
  readonly columnTags: readonly ColumnTagState[];
}

export interface Desired {
  readonly sources: DesiredSource[];
  /** `options.tableTags`, which apply to every source of the connection. */
  readonly optionTags: readonly string[];
  readonly problems: Problem[];
}

/** Where a source comes from, for messages: `sources[2]`, or `sources` when omitted. */
export function sourcePath(source: DesiredSource): string {
  return source.index < 0 ? "sources" : `sources[${source.index}]`;
}

/** Tags without repeats, first occurrence first. */
function uniqueTags(tags: readonly unknown[]): readonly string[] {
  if (tags.length === 0) return NO_TAGS;
  return [...new Set(tags as string[])];
}

/**
 * One list object per distinct tag list: thousands of sources tagged alike share one, in memory
 * and in comparisons.
 */
class Interned<T> {
  private readonly lists = new Map<string, T>();
  get(id: string, make: () => T): T {
    let list = this.lists.get(id);
    if (list === undefined) this.lists.set(id, (list = make()));
    return list;
  }
}

export function desiredSources(payload: DataSourcePayload, db: CatalogDatabase): Desired {
  const problems: Problem[] = [];
  const sources: DesiredSource[] = [];
  const database = literalDatabase(payload);
  const optionTags = uniqueTags(payload.options?.tableTags ?? []);
  const entries: readonly Source[] = payload.sources ?? [{ all: true }];
  // A connection given a schema sees that schema only: `all` is its tables (see `choices.ts`).
  const given = (payload.connection as { readonly schema?: unknown }).schema;
  const only = typeof given === "string" ? given : "";
  const indexOf = (i: number) => (payload.sources ? i : -1);
  const pathOf = (i: number) => (payload.sources ? `sources[${i}]` : "sources");
  const tagLists = new Interned<readonly string[]>();
  const columnLists = new Interned<readonly ColumnTagState[]>();
  const nameOf = (table: CatalogTable, naming: TableSource["naming"]) =>
    dataSourceName(
      payload.nameTemplate,
      { database, schema: table.schema, table: table.table },
      naming,
    );

  // Tables named explicitly keep their own naming and tags; `all` adds the rest.
  const resolved: (CatalogTable | undefined)[] = entries.map((entry, i) =>
    "table" in entry ? lookUp(entry, db, () => pathOf(i), problems) : undefined,
  );
  const explicit = entries.some((entry) => "all" in entry) ? new Set(resolved) : undefined;

  let allExpanded = false;
  entries.forEach((entry, i) => {
    const index = indexOf(i);
    if ("all" in entry) {
      if (allExpanded) return;
      allExpanded = true;
      const tableTags = optionTags;
      if (only !== "" && db.tablesOf(only).length === 0) {
        problems.push({
          path: "connection.schema",
          message: `no schema "${only}" in ${db.database} on ${db.hostname} (it has ${listed([...new Set(db.tables.map((t) => t.schema))])}); a connection's schema limits its data sources to that schema's tables`,
        });
        return;
      }
      for (const table of db.tables) {
        if (explicit!.has(table)) continue;
        if (only !== "" && fold(table.schema) !== fold(only)) continue;
        const name = nameOf(table, undefined);
        sources.push({
          name,
          index,
          target: table,
          tableTags,
          columnTags: NO_COLUMN_TAGS,
        });
      }
    } else if ("query" in entry) {
      const name = entry.naming.datasource ? entry.naming.datasource.toLowerCase() : "";
      if (name.trim() === "") {
        problems.push({
          path: `${pathOf(i)}.naming.datasource`,
          message: "required for a query source: the name of its data source",
        });
        return;
      }
      sources.push({
        name,
        index,
        target: entry.query as string,
        tableTags: optionTags,
        columnTags: NO_COLUMN_TAGS,
      });
    } else {
      const table = resolved[i];
      if (!table) return;
      const own = entry.tags?.table ?? [];
      const tableTags =
        own.length === 0
          ? optionTags
          : tagLists.get(own.join("\0"), () => uniqueTags([...optionTags, ...own]));
      const columnTagList = columnTags(entry, table, () => pathOf(i), problems, columnLists);
      sources.push({
        name: nameOf(table, entry.naming),
        index,
        target: table,
        tableTags,
        columnTags: columnTagList,
      });
    }
  });

  const where = (source: DesiredSource) =>
    typeof source.target === "string"
      ? sourcePath(source)
      : `${sourcePath(source)} (table ${source.target.schema}.${source.target.table})`;
  const first = new Map<string, DesiredSource>();
  for (const source of sources) {
    if (source.name.trim() === "") {
      problems.push({
        path: sourcePath(source),
        message: `gives an empty data source name for ${where(source)}`,
      });
      continue;
    }
    const earlier = first.get(source.name);
    if (earlier !== undefined) {
      problems.push({
        path: sourcePath(source),
        message: `gives the data source name "${source.name}" for ${where(source)}, as ${where(earlier)} does; names must be unique`,
      });
    } else first.set(source.name, source);
  }
  return { sources, optionTags, problems: problems.sort(bySource) };
}

function lookUp(
  source: TableSource,
  db: CatalogDatabase,
  path: () => string,
  problems: Problem[],
): CatalogTable | undefined {
  const table = db.table(source.schema, source.table);
  if (table) return table;
  const tables = db.tablesOf(source.schema);
  problems.push(
    tables.length === 0
      ? {
          path: `${path()}.schema`,
          message: `no schema "${source.schema}" in ${db.database} on ${db.hostname}`,
        }
      : {
          path: `${path()}.table`,
          message: `no table "${source.table}" in schema "${source.schema}" of ${db.database} on ${db.hostname} (it has ${listed(tables)})`,
        },
  );
  return undefined;
}

/**
 * A table source's column tags, looked up in the catalog. Sources tagged alike share one list:
 * it is built once per request for each distinct set of column tags.
 */
function columnTags(
  source: TableSource,
  table: CatalogTable,
  path: () => string,
  problems: Problem[],
  lists: Interned<readonly ColumnTagState[]>,
): readonly ColumnTagState[] {
  const entries = source.tags?.columns ?? [];
  if (entries.length === 0) return NO_COLUMN_TAGS;
  const columns: string[] = [];
  let id = "";
  entries.forEach((entry, j) => {
    const column = columnOf(table, entry.columnName);
    if (column === undefined) {
      problems.push({
        path: `${path()}.tags.columns[${j}].columnName`,
        message: `no column "${entry.columnName}" in ${table.schema}.${table.table} (it has ${listed(table.columns)})`,
      });
    } else {
      columns.push(column);
      id += `${column}\0${entry.tags.join("\0")}\0\0`;
    }
  });
  if (columns.length !== entries.length) return NO_COLUMN_TAGS;
  return lists.get(id, () => {
    // A column listed twice gets the union of its tags, in the order given.
    const byColumn = new Map<string, { columnName: string; tags: string[] }>();
    entries.forEach((entry, j) => {
      const existing = byColumn.get(fold(columns[j]));
      if (existing) existing.tags.push(...(entry.tags as string[]));
      else
        byColumn.set(fold(columns[j]), {
          columnName: columns[j],
          tags: [...(entry.tags as string[])],
        });
    });
    const out: ColumnTagState[] = [];
    for (const { columnName, tags } of byColumn.values()) {
      if (tags.length > 0) out.push({ columnName, tags: uniqueTags(tags) });
    }
    return out.length === 0 ? NO_COLUMN_TAGS : out;
  });
}

/** Problems in the order of the sources they concern (the order a reader goes through them). */
function bySource(a: Problem, b: Problem): number {
  return sourceIndex(a.path) - sourceIndex(b.path);
}

function sourceIndex(path: string): number {
  const match = /^sources\[(\d+)\]/.exec(path);
  return match ? Number(match[1]) : -1;
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 12).join(", ");
  return names.length > 12 ? `${shown}, ... ${names.length} in all` : shown;
}
