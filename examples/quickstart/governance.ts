/**
 * The quickstart's governance as a function, so that the app that deploys it (main.ts) and the
 * tests that check who sees what (examples/policy-tests) build the same objects: two purposes, a
 * warehouse connection with tagged columns, a fraud project, a subscription policy for analysts
 * and a masking policy for PII.
 */
import type { TerraformStack } from "cdktf";
import { DataSource, GlobalPolicy, Project, Purpose, Secret } from "cdktf-immuta";

export function governance(stack: TerraformStack): void {
  const research = new Purpose(stack, "research", {
    name: "Research",
    description: "Analysis that improves our products",
    acknowledgement: "I will use this data only for research, and will not re-identify anyone.",
    subpurposes: [{ name: "Research.Fraud", description: "Detecting card fraud" }],
  });

  new Purpose(stack, "marketing", {
    name: "Marketing",
    description: "Campaign planning and measurement",
  });

  const warehouse = new DataSource(stack, "warehouse", {
    connectionKey: "acme-warehouse",
    connection: {
      handler: "Snowflake",
      hostname: "acme.snowflakecomputing.com",
      port: 443,
      ssl: true,
      warehouse: "COMPUTE_WH",
      database: "ANALYTICS",
      authenticationMethod: "userPassword",
      username: "IMMUTA_SYSTEM",
      password: Secret.fromEnv("DWH_PASSWORD"),
    },
    options: { hardDelete: false, tableTags: ["Source.Warehouse"] },
    owners: [{ type: "group", name: "Data Engineering" }],
    sources: [
      {
        table: "customers",
        schema: "public",
        tags: { columns: [{ columnName: "email", tags: ["PII", "PII.Email"] }] },
      },
      { table: "orders", schema: "public" },
      {
        table: "payments",
        schema: "public",
        tags: { table: ["PCI"], columns: [{ columnName: "card_number", tags: ["PII", "PCI"] }] },
      },
    ],
  });

  new Project(stack, "fraud", {
    projectKey: "fraud-analysis",
    name: "Fraud analysis",
    description: "Investigating card fraud",
    purposes: [research.subpurpose("Fraud")],
    datasources: [
      warehouse.dataSourceName("public", "orders"),
      warehouse.dataSourceName("public", "payments"),
    ],
    subscriptionPolicy: { type: "approval", approvals: [{ requiredPermission: "OWNER" }] },
  });

  new GlobalPolicy(stack, "analysts-subscribe", {
    policyKey: "analysts-subscribe",
    name: "Analysts may subscribe to the warehouse",
    type: "subscription",
    actions: {
      type: "entitlements",
      entitlements: { operator: "any", groups: ["Analysts", "Data Science"] },
      automaticSubscription: true,
      allowDiscovery: true,
    },
    circumstances: [{ type: "tags", tag: "Source.Warehouse" }],
  });

  new GlobalPolicy(stack, "mask-pii", {
    policyKey: "mask-pii",
    name: "Mask PII for everyone but privacy officers",
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
            exceptions: { operator: "any", groups: ["Privacy Officers"] },
          },
        ],
      },
    ],
    circumstances: [{ type: "columnTags", columnTag: "PII" }],
  });
}
