/**
 * What a project of the import may refer to: the purposes and sub-purposes of the import by name,
 * and the data sources of its connections by the names Immuta gives them. A name becomes a
 * reference only when the construct would give back exactly that name, so a reference never
 * changes what is sent.
 */
import { dataSourceName, literalDatabase, purposeNames, templateFormat } from "../payload/naming";
import type { DataSourcePayload, PurposePayload, TableSource } from "../payload/types";
import type { ImportedObject } from "./model";
import { Code, str } from "./ts-print";

export interface Target {
  readonly object: ImportedObject;
  /** The expression, given the variable holding the construct. */
  readonly reference: (variable: string) => Code;
}

export interface Targets {
  readonly purposes: ReadonlyMap<string, Target>;
  readonly dataSources: ReadonlyMap<string, Target>;
}

export function referenceTargets(objects: readonly ImportedObject[]): Targets {
  const purposes = new Map<string, Target>();
  const dataSources = new Map<string, Target>();
  // Objects with problems would not synthesize: nothing may depend on them.
  for (const object of objects.filter((o) => o.problems.length === 0)) {
    if (object.kind === "purpose") {
      const payload = object.payload as unknown as PurposePayload;
      for (const name of purposeNames(payload)) {
        if (purposes.has(name)) continue;
        const path = name === payload.name ? [] : name.slice(payload.name.length + 1).split(".");
        purposes.set(name, {
          object,
          reference: (variable) =>
            path.length === 0
              ? new Code(variable)
              : new Code(`${variable}.subpurpose`, path.map(str)),
        });
      }
    }
    if (object.kind === "data") {
      for (const { name, schema, table } of tableNames(object)) {
        if (dataSources.has(name)) continue;
        dataSources.set(name, {
          object,
          reference: (variable) =>
            new Code(`${variable}.dataSourceName`, [str(schema), str(table)]),
        });
      }
    }
  }
  return { purposes, dataSources };
}

/**
 * The data sources of a connection that `DataSource.dataSourceName(schema, table)` names: its
 * table sources, and, when it takes every table, the tables the tenant reports.
 */
function tableNames(object: ImportedObject): { name: string; schema: string; table: string }[] {
  const payload = object.payload as unknown as DataSourcePayload;
  const database = literalDatabase(payload);
  const usesDatabase = /<database>/i.test(templateFormat(payload.nameTemplate, "dataSourceFormat"));
  const named = (source: Pick<TableSource, "schema" | "table" | "naming">) => {
    // The construct cannot name a table by a database it does not know at synth.
    if (database === undefined && usesDatabase && !source.naming?.datasource) return [];
    const context = { database, schema: source.schema, table: source.table };
    return [{ name: dataSourceName(payload.nameTemplate, context, source.naming), ...source }];
  };
  const sources = payload.sources;
  const tables = (sources ?? []).filter((s): s is TableSource => "table" in s);
  // The construct finds a table by schema and name, letter case ignored, taking the first match.
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const firstOf = (schema: string, table: string) =>
    tables.findIndex((t) => same(t.schema, schema) && same(t.table, table));
  const out = tables.flatMap((source, i) =>
    firstOf(source.schema, source.table) === i ? named(source) : [],
  );
  const open = !sources || sources.some((source) => "all" in source);
  if (open) {
    for (const reported of object.facts.dataSources ?? []) {
      if (reported.schema === undefined || reported.table === undefined) continue;
      const source = { schema: reported.schema, table: reported.table };
      if (firstOf(source.schema, source.table) >= 0) continue;
      out.push(...named(source).filter((n) => n.name === reported.name));
    }
  }
  return out.map(({ name, schema, table }) => ({ name, schema, table }));
}
