/** Small builders for the access simulator's tests: a catalog, connections, policies, a tenant. */
import { join } from "node:path";
import { loadPayloadFile } from "../../src/payload/load";
import type {
  AnyPayload,
  DataRule,
  DataSourcePayload,
  PolicyPayload,
  Source,
  SubscriptionActions,
} from "../../src/payload/types";
import {
  compileTenant,
  simulateAccess,
  type AccessCatalog,
  type DataSourceAccess,
  type SimulateOptions,
  type SimulatedUser,
  type TenantInput,
} from "../../src/access";

export const HOST = "acme.example.com";
export const DATABASE = "ANALYTICS";

/** One connection's catalog: schema → table → columns. */
export function catalogOf(
  schemas: Record<string, Record<string, string[]>>,
  hostname = HOST,
  database = DATABASE,
): AccessCatalog {
  return { connections: [{ hostname, database, schemas }] };
}

export function connection(
  sources: readonly Source[] | undefined,
  extra: Partial<DataSourcePayload> = {},
): DataSourcePayload {
  return {
    connectionKey: "acme",
    connection: { handler: "Trino", hostname: HOST, database: DATABASE },
    ...(sources ? { sources } : {}),
    ...extra,
  };
}

/** A table source with table tags and `column: tags` column tags. */
export function table(
  name: string,
  tags: { table?: string[]; columns?: Record<string, string[]> } = {},
  schema = "public",
): Source {
  const columns = Object.entries(tags.columns ?? {}).map(([columnName, t]) => ({
    columnName,
    tags: t,
  }));
  return {
    table: name,
    schema,
    ...(tags.table || columns.length > 0
      ? {
          tags: {
            ...(tags.table ? { table: tags.table } : {}),
            ...(columns.length ? { columns } : {}),
          },
        }
      : {}),
  };
}

export function subscription(
  policyKey: string,
  actions: SubscriptionActions,
  extra: Partial<PolicyPayload> = {},
): PolicyPayload {
  return { policyKey, name: policyKey, type: "subscription", actions, ...extra } as PolicyPayload;
}

export function dataPolicy(
  policyKey: string,
  rules: readonly DataRule[],
  extra: Partial<PolicyPayload> = {},
): PolicyPayload {
  return {
    policyKey,
    name: policyKey,
    type: "data",
    actions: [{ rules }],
    ...extra,
  } as PolicyPayload;
}

/** A Masking rule on columns tagged `tag`. */
export function mask(
  tag: string,
  maskingConfig: Record<string, unknown> = { type: "Hash" },
  extra: Partial<DataRule> = {},
): DataRule {
  return {
    type: "Masking",
    config: { fields: [{ type: "columnTags", columnTag: tag }], maskingConfig },
    ...extra,
  } as DataRule;
}

export const ANYONE: PolicyPayload = subscription("anyone", {
  type: "anyone",
  automaticSubscription: true,
});

/** The access of one data source, from a fresh simulation. */
export function accessTo(
  tenant: TenantInput,
  user: SimulatedUser,
  name: string,
  options: SimulateOptions = {},
): DataSourceAccess {
  const report = simulateAccess(tenant, user, { ...options, dataSources: [name] });
  return report.dataSources[0];
}

export function column(access: DataSourceAccess, name: string) {
  const found = access.columns.find((c) => c.column === name);
  if (!found) throw new Error(`${access.name} has no column ${name}`);
  return found;
}

export { compileTenant, simulateAccess };

/** The payloads of one of the seed files (`test/fixtures/seed/<name>.yaml`), taken from Immuta's docs. */
export function seed(name: string): AnyPayload[] {
  return loadPayloadFile(join(__dirname, "..", "fixtures", "seed", `${name}.yaml`)).map(
    (p) => p.payload as AnyPayload,
  );
}

/** What the seed's Databricks connection can see (the catalog `immuta-v2 serve` reads). */
export const DATABRICKS_CATALOG: AccessCatalog = catalogOf(
  {
    data: {
      credit_card_transactions: ["transaction_date", "amount", "card_number", "merchant"],
      crime_data: ["date", "district", "type"],
    },
  },
  "dbc-1234.cloud.databricks.com",
  "main",
);
