/**
 * The data sources of a tenant, from its connection payloads (and the catalog, for the tables and
 * columns a connection can see): each with its name from the name template, its table tags
 * (`options.tableTags` plus the source's own), and its columns with their tags. This follows the
 * embedded server's reading of a data payload (`src/server/desired-sources.ts`), so that the
 * simulator and the server agree on what exists.
 */
import type { Problem } from "../errors";
import { dataSourceName, literalDatabase } from "../payload/naming";
import type { DataSourcePayload, Source, TableSource, Text } from "../payload/types";
import { Interner, NONE } from "./interner";
import type { AccessCatalog } from "./types";

export interface ResolvedColumn {
  /** The catalog's spelling (or the column tag's, without a catalog). */
  readonly name: string;
  readonly tags: readonly string[];
}

export interface ResolvedSource {
  readonly name: string;
  readonly connectionKey: string;
  readonly tableTags: readonly string[];
  readonly columns: readonly ResolvedColumn[];
  /** Every column tag of the source, once: what `columnTags` circumstances look at. */
  readonly columnTags: readonly string[];
  /** False when no catalog listed the table: only tagged columns are known. */
  readonly columnsKnown: boolean;
  /** Owner users and groups, for `ownerRestrictions`; undefined when unknown. */
  readonly owners?: { readonly users: readonly string[]; readonly groups: readonly string[] };
  /**
   * Small numbers naming the shared parts: sources with equal `table` have the same table tags,
   * with equal `columns` the same columns and column tags, with equal `shape` both; `owners` the
   * same owners. Answers that depend only on these are remembered by them.
   */
  readonly ids: SourceIds;
}

export interface SourceIds {
  readonly table: number;
  readonly columns: number;
  readonly shape: number;
  readonly owners: number;
}

interface CatalogTable {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly string[];
}

interface CatalogDatabase {
  readonly tables: readonly CatalogTable[];
  readonly byName: ReadonlyMap<string, CatalogTable>;
}

const fold = (name: string) => name.toLowerCase();
const tableKey = (schema: string, table: string) => `${fold(schema)}\0${fold(table)}`;

/** The catalog indexed by hostname and database, then by schema and table, ignoring case. */
export function indexCatalog(catalog: AccessCatalog | undefined): Map<string, CatalogDatabase> {
  const databases = new Map<string, CatalogDatabase>();
  for (const entry of catalog?.connections ?? []) {
    const tables: CatalogTable[] = [];
    const byName = new Map<string, CatalogTable>();
    for (const [schema, schemaTables] of Object.entries(entry.schemas)) {
      for (const [table, columns] of Object.entries(schemaTables)) {
        const t = { schema, table, columns };
        tables.push(t);
        byName.set(tableKey(schema, table), t);
      }
    }
    databases.set(`${fold(entry.hostname)}\0${fold(entry.database)}`, { tables, byName });
  }
  return databases;
}

export interface Resolved {
  readonly sources: ResolvedSource[];
  readonly problems: Problem[];
  readonly warnings: Problem[];
}

/** Every data source of the connections, in payload order; problems name the payload field. */
export function resolveSources(
  payloads: readonly DataSourcePayload[],
  catalog: AccessCatalog | undefined,
  caller: string | undefined,
): Resolved {
  const databases = indexCatalog(catalog);
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const sources: ResolvedSource[] = [];
  const namedBy = new Map<string, string>();
  const shared = new Interner();
  for (const payload of payloads) {
    const at = `dataSources[${JSON.stringify(payload.connectionKey)}]`;
    const hostname = textValue(payload.connection.hostname);
    const database = literalDatabase(payload);
    const db = databases.get(`${fold(hostname)}\0${fold(database ?? "")}`);
    const owners = ownersOf(payload, caller);
    const add = (fields: Omit<ResolvedSource, "ids">, path: string) => {
      const source = { ...fields, ids: shared.ids(fields) };
      const other = namedBy.get(source.name);
      if (other !== undefined) {
        problems.push({
          path,
          message: `gives the data source name "${source.name}", as ${other} does; names must be unique (set a nameTemplate or naming.datasource)`,
        });
        return;
      }
      namedBy.set(source.name, path);
      sources.push(source);
    };
    const entries: readonly Source[] = payload.sources ?? [{ all: true }];
    const pathOf = (i: number) => (payload.sources ? `${at}.sources[${i}]` : `${at}.sources`);
    const optionTags = shared.tags(unique((payload.options?.tableTags ?? []).map(textValue)));
    const nameOf = (schema: string, table: string, naming?: TableSource["naming"]) =>
      dataSourceName(payload.nameTemplate, { database, schema, table }, naming);

    if (!db && entries.some((e) => "all" in e)) {
      problems.push({
        path: pathOf(entries.findIndex((e) => "all" in e)),
        message: `takes every table of ${hostname}/${database ?? "?"}, so the simulator needs a catalog listing that connection's tables (the catalog format of immuta-v2 serve --catalog)`,
      });
      continue;
    }
    if (!db && catalog !== undefined) {
      warnings.push({
        path: `${at}.connection`,
        message: `the catalog has no ${hostname}/${database ?? "?"}: only the columns named in column tags are known`,
      });
    }
    const explicit = new Set<CatalogTable>();
    const listed: (CatalogTable | undefined)[] = entries.map((entry, i) => {
      if (!("table" in entry) || !db) return undefined;
      const table = db.byName.get(tableKey(entry.schema, entry.table));
      if (!table) {
        problems.push({
          path: `${pathOf(i)}.table`,
          message: `no table "${entry.schema}.${entry.table}" in the catalog's ${hostname}/${database ?? "?"}`,
        });
      } else explicit.add(table);
      return table;
    });

    let allDone = false;
    entries.forEach((entry, i) => {
      if ("all" in entry) {
        if (allDone) return;
        allDone = true;
        for (const table of db!.tables) {
          if (explicit.has(table)) continue;
          const columns = shared.columns(table.columns.map((name) => shared.column(name, NONE)));
          add(
            {
              name: nameOf(table.schema, table.table),
              connectionKey: payload.connectionKey,
              tableTags: optionTags,
              columns,
              columnTags: NONE,
              columnsKnown: true,
              owners,
            },
            pathOf(i),
          );
        }
      } else if ("query" in entry) {
        const name = (entry.naming.datasource ?? "").toLowerCase();
        if (name.trim() === "") {
          problems.push({
            path: `${pathOf(i)}.naming.datasource`,
            message: "required for a query source: the name of its data source",
          });
          return;
        }
        add(
          {
            name,
            connectionKey: payload.connectionKey,
            tableTags: optionTags,
            columns: shared.columns([]),
            columnTags: NONE,
            columnsKnown: false,
            owners,
          },
          pathOf(i),
        );
      } else {
        if (db && !listed[i]) return;
        const columns = columnsOf(entry, listed[i], pathOf(i), problems, shared);
        if (!columns) return;
        const own = (entry.tags?.table ?? []).map(textValue);
        add(
          {
            name: nameOf(
              listed[i]?.schema ?? entry.schema,
              listed[i]?.table ?? entry.table,
              entry.naming,
            ),
            connectionKey: payload.connectionKey,
            tableTags: own.length === 0 ? optionTags : shared.tags(unique([...optionTags, ...own])),
            columns,
            columnTags: shared.tags(unique(columns.flatMap((c) => c.tags))),
            columnsKnown: listed[i] !== undefined,
            owners,
          },
          pathOf(i),
        );
      }
    });
  }
  return { sources, problems, warnings };
}

/**
 * A table source's columns with their tags: the catalog's columns (a column tagged twice gets both
 * lists), or without a catalog the tagged columns. Undefined when a tag names an unknown column.
 */
function columnsOf(
  source: TableSource,
  table: CatalogTable | undefined,
  path: string,
  problems: Problem[],
  shared: Interner,
): readonly ResolvedColumn[] | undefined {
  const tagged = new Map<string, { name: string; tags: string[] }>();
  let ok = true;
  (source.tags?.columns ?? []).forEach((entry, j) => {
    const name = table
      ? table.columns.find((c) => fold(c) === fold(entry.columnName))
      : entry.columnName;
    if (name === undefined) {
      ok = false;
      problems.push({
        path: `${path}.tags.columns[${j}].columnName`,
        message: `no column "${entry.columnName}" in ${table!.schema}.${table!.table} (it has ${table!.columns.join(", ")})`,
      });
      return;
    }
    const existing = tagged.get(fold(name));
    const tags = entry.tags.map(textValue);
    if (existing) existing.tags.push(...tags);
    else tagged.set(fold(name), { name, tags: [...tags] });
  });
  if (!ok) return undefined;
  const names = table ? table.columns : [...tagged.values()].map((c) => c.name);
  return shared.columns(
    names.map((name) => {
      const tags = tagged.get(fold(name))?.tags;
      return shared.column(name, tags ? shared.tags(unique(tags)) : NONE);
    }),
  );
}

function ownersOf(
  payload: DataSourcePayload,
  caller: string | undefined,
): ResolvedSource["owners"] {
  if (payload.owners === undefined && caller === undefined) return undefined;
  const users = new Set<string>(caller === undefined ? [] : [caller]);
  const groups = new Set<string>();
  for (const owner of payload.owners ?? []) {
    (owner.type === "group" ? groups : users).add(textValue(owner.name));
  }
  return { users: [...users], groups: [...groups] };
}

function unique(tags: readonly string[]): readonly string[] {
  return tags.length === 0 ? NONE : [...new Set(tags)];
}

/** A payload string; a secret placeholder reads as `$env:NAME` (it never names a tag or a group). */
export function textValue(text: Text | undefined): string {
  if (text === undefined) return "";
  return typeof text === "string" ? text : `$env:${text.$env}`;
}
