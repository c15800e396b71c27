import type { Construct } from "constructs";
import { SynthError } from "../errors";
import { dataSourceName, literalDatabase, templateFormat } from "../payload/naming";
import type { DataSourcePayload, TableSource } from "../payload/types";
import { DataSourceNameReference } from "./data-source-name";
import { ImmutaObject, type ImmutaObjectOptions } from "./immuta-object";
import { dataSourcePayload } from "./props";

export interface DataSourceProps extends DataSourcePayload, ImmutaObjectOptions {
  /**
   * Seconds the POST waits for new data sources to be created; below 0 waits indefinitely.
   * @default the ImmutaProvider's `wait` (300)
   */
  readonly wait?: number;
}

/**
 * The data sources of one connection (`POST /api/v2/data`): every POST carries the complete
 * desired state, so a table left out is disabled, or deleted with `options.hardDelete`.
 */
export class DataSource extends ImmutaObject<"data"> {
  constructor(scope: Construct, id: string, props: DataSourceProps) {
    super(scope, id, "data", dataSourcePayload(props), {
      provider: props.provider,
      adopt: props.adopt,
      // `--wait=N`, not `--wait N`: a negative N would read as a flag.
      applyFlags: (provider) => [`--wait=${props.wait ?? provider.wait}`],
    });
  }

  /**
   * The name Immuta gives the data source of one table (from `nameTemplate`), for a `Project`'s
   * `datasources`; the project then depends on this connection.
   */
  dataSourceName(schema: string, table: string): string {
    const sources = this.payload.sources;
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    const source = sources?.find(
      (s): s is TableSource => "table" in s && same(s.table, table) && same(s.schema, schema),
    );
    if (!source && sources && !sources.some((s) => "all" in s)) {
      const tables = sources.filter((s): s is TableSource => "table" in s);
      throw new SynthError(
        `${this.node.path}: dataSourceName("${schema}", "${table}"): no such table among this ` +
          `connection's sources (${tables.map((s) => `${s.schema}.${s.table}`).join(", ") || "none"})`,
      );
    }
    const database = literalDatabase(this.payload);
    const format = templateFormat(this.payload.nameTemplate, "dataSourceFormat");
    if (database === undefined && /<database>/i.test(format) && !source?.naming?.datasource) {
      throw new SynthError(
        `${this.node.path}: dataSourceName: the name template uses <database>, which is not ` +
          `known at synth (connection.database is not a literal string)`,
      );
    }
    const name = dataSourceName(
      this.payload.nameTemplate,
      { database, schema, table },
      source?.naming,
    );
    return new DataSourceNameReference(this, name).toString();
  }
}
