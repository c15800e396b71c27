import { join } from "node:path";
import {
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

/** A deep copy, so a test can mutate a fixture freely. */
export function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export const minimal: Record<Kind, Record<string, unknown>> = {
  data: { connectionKey: "dwh", connection: { handler: "Snowflake" } },
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
