/**
 * Data source names, as Immuta derives them from a connection's `nameTemplate`: placeholders
 * `<database>`, `<schema>` and `<tablename>` replaced literally, then lower-cased. Shared by the
 * constructs (to name data sources in projects at synth) and the embedded server.
 */
import type { DataSourcePayload, NameTemplate, PurposePayload, TableSource, Text } from "./types";

/** [ours] Immuta's defaults are not documented; these are the spec's choice. */
export const DEFAULT_NAME_TEMPLATE: Required<NameTemplate> = {
  dataSourceFormat: "<schema>.<tablename>",
  tableFormat: "<tablename>",
  schemaFormat: "<schema>",
  schemaProjectNameFormat: "<schema>",
};

export interface NamingContext {
  readonly database?: string;
  readonly schema: string;
  readonly table: string;
}

/** A template with its placeholders filled (case-insensitively: the docs also write `<Tablename>`). */
export function fillTemplate(template: string, context: NamingContext): string {
  return template
    .replace(/<database>/gi, context.database ?? "")
    .replace(/<schema>/gi, context.schema)
    .replace(/<tablename>/gi, context.table);
}

/** The format to use: the given one, or the default when absent or empty (as Immuta's Terraform provider sends). */
export function templateFormat(
  template: NameTemplate | undefined,
  field: keyof NameTemplate,
): string {
  const given = template?.[field];
  return given === undefined || given === "" ? DEFAULT_NAME_TEMPLATE[field] : given;
}

/** The name Immuta gives the data source of one table of a connection. */
export function dataSourceName(
  template: NameTemplate | undefined,
  context: NamingContext,
  override?: TableSource["naming"],
): string {
  const name =
    override?.datasource ?? fillTemplate(templateFormat(template, "dataSourceFormat"), context);
  return name.toLowerCase();
}

/** The connection's database when it is a literal string (it may be a secret placeholder). */
export function literalDatabase(
  payload: Pick<DataSourcePayload, "connection">,
): string | undefined {
  const database: Text | undefined = payload.connection.database;
  return typeof database === "string" ? database : undefined;
}

/** A purpose's own name and its sub-purposes' full names (`Research`, `Research.Clinical`, ...). */
export function purposeNames(payload: PurposePayload): string[] {
  const names = [payload.name];
  const walk = (list: PurposePayload["subpurposes"]) => {
    for (const sub of list ?? []) {
      names.push(sub.name);
      walk(sub.subpurposes);
    }
  };
  walk(payload.subpurposes);
  return names;
}
