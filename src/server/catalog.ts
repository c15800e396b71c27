/**
 * The catalog: which tables (and columns) each connection can see, since the embedded server
 * cannot ask a warehouse. Checked once at start, then indexed for lookups by hostname and
 * database, and by schema and table, in constant time (a 10,000-table connection must not make
 * a POST quadratic).
 */
import { formatProblem, PayloadFileError, type Problem } from "../errors";
import { CATALOG_IGNORES_CASE } from "./choices";
import type { Catalog } from "./types";

/** Case folding for catalog names (see `CATALOG_IGNORES_CASE`). */
export const fold: (name: string) => string = CATALOG_IGNORES_CASE
  ? (name) => name.toLowerCase()
  : (name) => name;

export interface CatalogTable {
  /** The catalog's own spelling. */
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly string[];
}

/** The tables one hostname + database can see. */
export interface CatalogDatabase {
  readonly hostname: string;
  readonly database: string;
  /** In catalog order: what `all` sources expand to. */
  readonly tables: readonly CatalogTable[];
  table(schema: string, table: string): CatalogTable | undefined;
  /** The table names of a schema, for error messages. */
  tablesOf(schema: string): readonly string[];
}

/** The catalog's spelling of a column of the table; undefined when it has none such. */
export function columnOf(table: CatalogTable, column: string): string | undefined {
  if (table.columns.includes(column)) return column;
  const wanted = fold(column);
  return table.columns.find((c) => fold(c) === wanted);
}

const databaseKey = (hostname: string, database: string) => `${fold(hostname)}\0${fold(database)}`;

export class CatalogIndex {
  private readonly databases = new Map<string, CatalogDatabase>();

  /** @param catalog an already checked catalog (see `checkCatalog`) */
  constructor(catalog: Catalog) {
    for (const entry of catalog.connections) {
      const tables: CatalogTable[] = [];
      // Exact spelling first (no string is built for the lookup), then any letter case.
      const exact = new Map<string, Map<string, CatalogTable>>();
      const byName = new Map<string, CatalogTable>();
      const bySchema = new Map<string, string[]>();
      for (const [schema, schemaTables] of Object.entries(entry.schemas)) {
        const names: string[] = [];
        const inSchema = new Map<string, CatalogTable>();
        bySchema.set(fold(schema), names);
        exact.set(schema, inSchema);
        for (const [table, columns] of Object.entries(schemaTables)) {
          const t: CatalogTable = { schema, table, columns };
          tables.push(t);
          names.push(table);
          inSchema.set(table, t);
          byName.set(`${fold(schema)}\0${fold(table)}`, t);
        }
      }
      this.databases.set(databaseKey(entry.hostname, entry.database), {
        hostname: entry.hostname,
        database: entry.database,
        tables,
        table: (schema, table) =>
          exact.get(schema)?.get(table) ?? byName.get(`${fold(schema)}\0${fold(table)}`),
        tablesOf: (schema) => bySchema.get(fold(schema)) ?? [],
      });
    }
  }

  find(hostname: string, database: string): CatalogDatabase | undefined {
    return this.databases.get(databaseKey(hostname, database));
  }

  /** `host/database` of every connection, for the "cannot connect" message. */
  known(): string[] {
    return [...this.databases.values()].map((d) => `${d.hostname}/${d.database}`);
  }
}

/**
 * A catalog value (parsed from YAML or JSON) checked for shape, with every problem at once.
 * @param source what the catalog came from, for the error message
 */
export function checkCatalog(value: unknown, source: string): Catalog {
  const problems: Problem[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isObject(value) || !Array.isArray(value.connections)) {
    problems.push({ path: "connections", message: "required: a list of connections" });
  } else {
    const seen = new Map<string, number>();
    value.connections.forEach((entry: unknown, i) => {
      const at = `connections[${i}]`;
      if (!isObject(entry)) return problems.push({ path: at, message: "must be an object" });
      for (const field of ["hostname", "database"]) {
        if (typeof entry[field] !== "string" || entry[field] === "") {
          problems.push({ path: `${at}.${field}`, message: "required: a non-empty string" });
        }
      }
      if (typeof entry.hostname === "string" && typeof entry.database === "string") {
        const key = databaseKey(entry.hostname, entry.database);
        const first = seen.get(key);
        if (first !== undefined) {
          problems.push({
            path: at,
            message: `same hostname and database as connections[${first}]`,
          });
        } else seen.set(key, i);
      }
      if (!isObject(entry.schemas)) {
        return problems.push({
          path: `${at}.schemas`,
          message: "required: schema → table → columns",
        });
      }
      checkNames(entry.schemas, `${at}.schemas`, problems, (tables, path) => {
        if (!isObject(tables))
          return problems.push({ path, message: "must map tables to columns" });
        checkNames(tables, path, problems, (columns, columnsPath) => {
          if (!Array.isArray(columns) || !columns.every((c) => typeof c === "string" && c !== "")) {
            problems.push({ path: columnsPath, message: "must be a list of column names" });
          }
        });
      });
    });
  }
  if (problems.length > 0) {
    throw new PayloadFileError(
      `${source}: not a valid catalog:\n  ${problems.map(formatProblem).join("\n  ")}`,
    );
  }
  return value as unknown as Catalog;
}

/** Checks each entry of a name → value map, and that no two names differ by case alone. */
function checkNames(
  map: Record<string, unknown>,
  path: string,
  problems: Problem[],
  each: (value: unknown, path: string) => unknown,
): void {
  const folded = new Map<string, string>();
  for (const [name, value] of Object.entries(map)) {
    const at = `${path}[${JSON.stringify(name)}]`;
    const other = folded.get(fold(name));
    if (other !== undefined) {
      problems.push({ path: at, message: `differs from "${other}" only by letter case` });
    }
    folded.set(fold(name), name);
    each(value, at);
  }
}
