/** A governance stack for the access-testing tests, built from the constructs as a user would. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import type { Construct } from "constructs";
import { ImmutaProvider } from "../../providers";
import { DataSource, GlobalPolicy, Project, Purpose, Secret } from "../../src/constructs";
import type { AccessCatalog } from "../../src/access";
import type { DataSourcePayload } from "../../src/payload/types";

export const HOST = "acme.snowflakecomputing.com";
export const DATABASE = "ANALYTICS";

export const CATALOG: AccessCatalog = {
  connections: [
    {
      hostname: HOST,
      database: DATABASE,
      schemas: {
        public: {
          customers: ["id", "email", "name", "country"],
          orders: ["id", "customer_id", "amount"],
        },
        hr: { salaries: ["id", "employee", "salary"] },
      },
    },
  ],
};

/** A Snowflake connection as the payload schema requires one. */
export const CONNECTION = {
  handler: "Snowflake",
  hostname: HOST,
  port: 443,
  ssl: true,
  warehouse: "COMPUTE_WH",
  database: DATABASE,
  authenticationMethod: "userPassword",
  username: "IMMUTA_SYSTEM",
  password: Secret.fromEnv("DWH_PASSWORD"),
} as const;

export type Build = (stack: TerraformStack, provider: ImmutaProvider) => void;

const outdirs: string[] = [];
afterAll(() => outdirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A test app whose output directory (an App makes one) is removed after the test file. */
export function testApp(): App {
  const outdir = mkdtempSync(join(tmpdir(), "access-testing-app-"));
  outdirs.push(outdir);
  return Testing.app({ outdir });
}

/** A stack with one tenant and what `build` adds. */
export function stackWith(build: Build, app: App = testApp()): TerraformStack {
  const stack = new TerraformStack(app, "governance");
  const provider = new ImmutaProvider(stack, "immuta");
  build(stack, provider);
  return stack;
}

export function warehouse(
  scope: Construct,
  extra: Partial<DataSourcePayload> = {},
  provider?: ImmutaProvider,
): DataSource {
  return new DataSource(scope, "warehouse", {
    connectionKey: "acme-warehouse",
    connection: CONNECTION,
    options: { tableTags: ["Source.Warehouse"] },
    sources: [
      {
        table: "customers",
        schema: "public",
        tags: {
          columns: [
            { columnName: "email", tags: ["Contact"] },
            { columnName: "name", tags: ["PII"] },
          ],
        },
      },
      { table: "orders", schema: "public" },
      {
        table: "salaries",
        schema: "hr",
        tags: { table: ["HR"], columns: [{ columnName: "salary", tags: ["PII.Salary"] }] },
      },
    ],
    ...extra,
    ...(provider ? { provider } : {}),
  } as never);
}

/**
 * The governance the matcher tests read:
 * - analysts-subscribe: Analysts subscribe automatically to the warehouse;
 * - hr-manual: HR tables are manual (more restrictive: it decides on hr.salaries);
 * - mask-pii: PII hashed, except for Privacy Officers;
 * - eu-rows: customers' rows limited to the EU, except for Global Sales;
 * - mask-contact-staged: a staged policy that would mask Contact columns.
 */
export const governance: Build = (stack) => {
  const ds = warehouse(stack);
  new GlobalPolicy(stack, "analysts-subscribe", {
    policyKey: "analysts-subscribe",
    name: "Analysts subscribe",
    type: "subscription",
    actions: {
      type: "entitlements",
      entitlements: { groups: ["Analysts"] },
      automaticSubscription: true,
    },
    circumstances: [{ type: "tags", tag: "Source.Warehouse" }],
  });
  new GlobalPolicy(stack, "hr-manual", {
    policyKey: "hr-manual",
    name: "HR tables are granted by their owners",
    type: "subscription",
    actions: { type: "manual" },
    circumstances: [{ type: "tags", tag: "HR" }],
  });
  new GlobalPolicy(stack, "mask-pii", {
    policyKey: "mask-pii",
    name: "Mask PII",
    type: "data",
    actions: [
      {
        rules: [
          {
            type: "Masking",
            config: {
              fields: [{ type: "columnTags", columnTag: "PII" }],
              maskingConfig: { type: "Hash" },
            },
            exceptions: { groups: ["Privacy Officers"] },
          },
        ],
      },
    ],
    circumstances: [{ type: "columnTags", columnTag: "PII" }],
  });
  new GlobalPolicy(stack, "eu-rows", {
    policyKey: "eu-rows",
    name: "EU rows only",
    type: "data",
    actions: [
      {
        rules: [
          {
            type: "Row Restriction by Custom Where Clause",
            config: { predicate: "country = 'EU'" },
            exceptions: { groups: ["Global Sales"] },
          },
        ],
      },
    ],
    circumstances: [{ type: "columnRegex", regex: "^country$" }],
  });
  new GlobalPolicy(stack, "mask-contact-staged", {
    policyKey: "mask-contact-staged",
    name: "Mask contact details (staged)",
    type: "data",
    staged: true,
    actions: [
      {
        rules: [
          {
            type: "Masking",
            config: {
              fields: [{ type: "columnTags", columnTag: "Contact" }],
              maskingConfig: { type: "Null" },
            },
          },
        ],
      },
    ],
  });
  new Purpose(stack, "research", { name: "Research" });
  new Project(stack, "orders-project", {
    projectKey: "orders-project",
    name: "Orders",
    purposes: ["Research"],
    datasources: [ds.dataSourceName("public", "orders")],
  });
};

/** Strips colour codes, for assertions on messages. */
export const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");
