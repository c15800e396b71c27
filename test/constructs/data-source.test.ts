import "../setup-cdktf";
import { DefaultTokenResolver, StringConcat, Tokenization, type TerraformStack } from "cdktf";
import { DataSource, ImmutaProvider, Secret, TerraformData, type DataSourceProps } from "../../src";
import { canonicalJson } from "../../src/payload/canonical";
import { startServer } from "../../src/server";
import { SNOWFLAKE } from "../payload/fixtures";
import { addresses, synthScope, blockOf, instanceOf, stepOf, synthStack } from "../helpers/synth";
import { runStep } from "./run-step";
import { instanceContext, stepArgv, stepOptions } from "./step-argv";

const dwh: DataSourceProps = {
  connectionKey: "dwh-prod",
  connection: { ...SNOWFLAKE, password: Secret.fromEnv("DWH_PASSWORD") },
  options: { hardDelete: false, tableTags: ["Source.DWH"] },
  sources: [
    {
      table: "customers",
      schema: "public",
      tags: { columns: [{ columnName: "email", tags: ["PII"] }] },
    },
    { table: "orders", schema: "public", naming: { datasource: "All Orders" } },
  ],
};

describe("DataSource", () => {
  it("synthesizes an instance of the tenant's data block (cdktf's matchers)", () => {
    const synthesized = synthScope((scope) => {
      new ImmutaProvider(scope, "immuta");
      new DataSource(scope, "dwh", dwh);
    });
    // The instances sit in a local value, which the block's for_each references.
    expect(synthesized).toHaveResourceWithProperties(TerraformData, {
      for_each: "${local.immuta_data_instances}",
    });
    expect(JSON.parse(synthesized).locals.immuta_data_instances).toEqual({
      "dwh-prod": { p: canonicalJson(dwh), f: "", a: ["--wait=300"] },
    });
  });

  it("synthesizes its instance at a stable address", () => {
    const { config, moved } = synthStack((stack) => {
      new DataSource(stack, "dwh", dwh);
    });
    expect({ addresses: addresses(config), moved }).toMatchSnapshot();
  });

  it("keeps the secret a placeholder: its value is read by the CLI at apply time", () => {
    process.env.DWH_PASSWORD = "s3cret-in-env";
    try {
      const { json, config } = synthStack((stack) => {
        new DataSource(stack, "dwh", dwh);
      });
      expect(json).not.toContain("s3cret-in-env");
      expect(instanceOf(config, "data", "dwh-prod").payload).toMatchObject({
        connection: { password: { $env: "DWH_PASSWORD" } },
      });
    } finally {
      delete process.env.DWH_PASSWORD;
    }
  });

  it("waits for creation: the provider's default, or its own, which the CLI accepts", async () => {
    const { config } = synthStack((stack) => {
      new DataSource(stack, "dwh", dwh);
      new DataSource(stack, "lake", { ...dwh, connectionKey: "lake", wait: -1 });
    });
    expect(instanceOf(config, "data", "dwh-prod").a).toEqual(["--wait=300"]);
    const lake = instanceOf(config, "data", "lake");
    expect(lake.a).toEqual(["--wait=-1"]);
    expect(lake.payload).not.toHaveProperty("wait");

    // The synthesized step, as the provisioner runs it (a negative wait must not read as a flag).
    const server = await startServer({ apiKeys: [{ key: "k" }] });
    try {
      const argv = stepArgv(
        stepOf(blockOf(config, "data"), "create"),
        instanceContext("lake", lake),
      );
      expect(argv).toContain("--wait=-1");
      const result = await runStep(argv, {
        IMMUTA_URL: server.url,
        IMMUTA_API_KEY: "k",
        DWH_PASSWORD: "pw",
        IMMUTA_PAYLOAD: lake.p as string,
      });
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(server.requests().map((r) => [r.method, r.key, r.query.wait])).toEqual([
        ["POST", "lake", "-1"],
      ]);
    } finally {
      await server.close();
    }
  });

  // Bug (providers/steps.ts): the apply step never passes --tenant, and `immuta-v2 apply` retires
  // a renamed connection (src/cli/connection-rename.ts) only when given it.
  it("names its tenant in its apply step, so that a renamed connectionKey deletes the old key first (C16)", () => {
    const { config } = synthStack((stack) => {
      new DataSource(stack, "dwh", dwh);
    });
    const data = instanceOf(config, "data", "dwh-prod");
    const argv = stepArgv(
      stepOf(blockOf(config, "data"), "create"),
      instanceContext("dwh-prod", data),
    );
    expect(stepOptions(argv)).toMatchObject({ command: "apply", options: { tenant: "immuta" } });
  });

  it("takes its default wait from the provider", () => {
    const { config } = synthStack(
      (stack) => {
        new DataSource(stack, "dwh", dwh);
      },
      { wait: 60 },
    );
    expect(instanceOf(config, "data", "dwh-prod").a).toEqual(["--wait=60"]);
  });

  it("takes values from other resources, resolved at apply time, unvalidated", () => {
    const { config } = synthStack((stack) => {
      const db = new TerraformData(stack, "db", {
        input: { address: "dwh.internal.example", port: 443 },
      });
      new DataSource(stack, "dwh", {
        ...dwh,
        connection: {
          ...dwh.connection,
          hostname: `${db.output}`,
          port: db.getNumberAttribute("output.port"),
        },
      });
    });
    const instance = instanceOf(config, "data", "dwh-prod");
    expect(instance.f).toBe("");
    expect(instance.p).toMatchObject({
      connectionKey: "dwh-prod",
      connection: {
        hostname: "${terraform_data.db.output}",
        port: "${terraform_data.db.output.port}",
        password: { $env: "DWH_PASSWORD" },
      },
    });
  });

  it("names its data sources from the name template, for projects", () => {
    synthStack((stack) => {
      const source = new DataSource(stack, "dwh", dwh);
      const templated = new DataSource(stack, "lake", {
        ...dwh,
        connectionKey: "lake",
        connection: {
          handler: "Databricks",
          hostname: "dbc",
          database: "Main",
          httpPath: "/sql/1.0/warehouses/abc",
          password: Secret.fromEnv("DATABRICKS_TOKEN"),
        },
        nameTemplate: { dataSourceFormat: "<Database> <schema> <tablename>" },
        sources: [{ all: true }],
      });
      expect(resolveName(stack, source.dataSourceName("public", "customers"))).toBe(
        "public.customers",
      );
      expect(resolveName(stack, source.dataSourceName("PUBLIC", "orders"))).toBe("all orders");
      expect(resolveName(stack, templated.dataSourceName("Sales", "Leads"))).toBe(
        "main sales leads",
      );
      expect(() => source.dataSourceName("public", "invoices")).toThrow(
        'governance/dwh: dataSourceName("public", "invoices"): no such table among this connection\'s sources (public.customers, public.orders)',
      );
    });
  });

  it("refuses a key that is not known at synth", () => {
    expect(() =>
      synthStack((stack) => {
        const db = new TerraformData(stack, "db", { input: "k" });
        new DataSource(stack, "dwh", { ...dwh, connectionKey: `${db.output}` });
      }),
    ).toThrow(
      "governance/dwh: connectionKey must be a literal string, known at synth: it identifies the data source connection across deploys",
    );
  });

  it("reports a misspelt field that TypeScript would not catch in plain JavaScript", () => {
    expect(() =>
      synthStack((stack) => {
        new DataSource(stack, "dwh", { ...dwh, sourcez: [] } as DataSourceProps);
      }),
    ).toThrow(/governance\/dwh: 1 problem\n {2}sourcez: unknown field; did you mean "sources"\?/);
  });

  it("reports an incomplete connection, naming each missing field", () => {
    const { warehouse: _w, username: _u, ...incomplete } = SNOWFLAKE;
    expect(() =>
      synthStack((stack) => {
        new DataSource(stack, "dwh", { ...dwh, connection: incomplete } as DataSourceProps);
      }),
    ).toThrow(
      "governance/dwh: 2 problems\n  connection.username: required\n  connection.warehouse: required",
    );
  });
});

function resolveName(stack: TerraformStack, value: string): unknown {
  return Tokenization.resolve(value, {
    scope: stack,
    preparing: false,
    resolver: new DefaultTokenResolver(new StringConcat()),
  });
}
