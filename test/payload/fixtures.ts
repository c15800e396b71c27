import { join } from "node:path";
import {
  listPayloadFiles,
  loadPayloadFile,
  type DataPolicyPayload,
  type Kind,
  type LoadedPayload,
} from "../../src/payload";

export const SEED_DIR = join(__dirname, "..", "fixtures", "seed");

/** The documented examples of Immuta's V2 pages, as payload files (test/fixtures/seed). */
export function seedPayloads(kind?: Kind): LoadedPayload[] {
  const all = ["databricks.yaml", "policies.yaml", "projects.yaml", "purposes.yaml"].flatMap((f) =>
    loadPayloadFile(join(SEED_DIR, f)),
  );
  return kind ? all.filter((p) => p.kind === kind) : all;
}

/**
 * One payload per handler, authentication method, masking type and rule type, in the shapes of
 * Immuta's documentation (test/payload/documented). Apart from the seed, whose exact contents
 * other tests list.
 */
export function documentedPayloads(kind?: Kind): LoadedPayload[] {
  const all = listPayloadFiles(join(__dirname, "documented")).flatMap((f) => loadPayloadFile(f));
  return kind ? all.filter((p) => p.kind === kind) : all;
}

/**
 * A complete Snowflake connection (user name and password), to spread into a test's connection:
 * `connection: { ...SNOWFLAKE, hostname: "h", database: "D" }`.
 */
export const SNOWFLAKE = {
  handler: "Snowflake",
  hostname: "acme.snowflakecomputing.com",
  database: "ANALYTICS",
  warehouse: "COMPUTE_WH",
  authenticationMethod: "userPassword",
  username: "immuta",
  password: { $env: "DWH_PASSWORD" },
} as const;

/** A deep copy, so a test can mutate a fixture freely. */
export function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export const minimal: Record<Kind, Record<string, unknown>> = {
  data: { connectionKey: "dwh", connection: SNOWFLAKE },
  policy: {
    policyKey: "p",
    name: "P",
    type: "subscription",
    actions: { type: "anyone" },
  },
  project: { projectKey: "fraud", name: "Fraud" },
  purpose: { name: "Research" },
};

/** A data policy hashing every column tagged PII: the tests' usual policy. */
export const MASK_PII: DataPolicyPayload = {
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
        },
      ],
    },
  ],
  circumstances: [{ type: "columnTags", columnTag: "PII" }],
};
