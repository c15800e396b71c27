/**
 * The quickstart stack: purposes, a data source, a project and two global policies, in TypeScript.
 *
 *   npm run demo                       deploys it to the embedded server, twice, and shows Immuta
 *   IMMUTA_URL=https://acme.immuta.example IMMUTA_API_KEY=... DWH_PASSWORD=... npx cdktf deploy
 *                                      deploys it to a real tenant (run in this directory)
 */
import { App, LocalBackend, TerraformStack } from "cdktf";
import { DataSource, GlobalPolicy, ImmutaProvider, Project, Purpose, Secret } from "cdktf-immuta";

const app = new App();
const stack = new TerraformStack(app, "quickstart");
// State beside the synthesized configuration, by a relative path: a moved checkout keeps working.
new LocalBackend(stack, { path: "terraform.tfstate" });
// No url: the tenant is IMMUTA_URL at apply time, and the key IMMUTA_API_KEY.
new ImmutaProvider(stack, "immuta");

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
    // Read from the environment of `cdktf deploy`, never written to a file or the state.
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

app.synth();
