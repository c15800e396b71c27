import "../setup-cdktf";
import {
  DefaultTokenResolver,
  StringConcat,
  Testing,
  Tokenization,
  type TerraformStack,
} from "cdktf";
import { DataSource, ImmutaProvider, Secret, TerraformData, type DataSourceProps } from "../../src";
import { run } from "../../src/cli/run";
import { startServer } from "../../src/server";
import { captureIo } from "../helpers/capture-io";
import { addresses, resourceAt, synthStack } from "../helpers/synth";

const dwh: DataSourceProps = {
  connectionKey: "dwh-prod",
  connection: {
    handler: "Snowflake",
    hostname: "acme.snowflakecomputing.com",
    warehouse: "WH",
    database: "ANALYTICS",
    authenticationMethod: "userPassword",
    username: "immuta",
    password: Secret.fromEnv("DWH_PASSWORD"),
  },
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
  it("synthesizes a terraform_data carrier (cdktf's matchers)", () => {
    const synthesized = Testing.synthScope((scope) => {
      new ImmutaProvider(scope, "immuta");
      new DataSource(scope, "dwh", dwh);
    });
    expect(synthesized).toHaveResourceWithProperties(TerraformData, {
      input: { kind: "data", key: "dwh-prod", tenant: "$IMMUTA_URL (stack/immuta)" },
    });
  });

  it("synthesizes its resources at stable addresses", () => {
    const { config } = synthStack((stack) => {
      new DataSource(stack, "dwh", dwh);
    });
    expect(addresses(config)).toMatchSnapshot();
  });

  it("keeps the secret a placeholder: its value is read by the CLI at apply time", () => {
    process.env.DWH_PASSWORD = "s3cret-in-env";
    try {
      const { json, config } = synthStack((stack) => {
        new DataSource(stack, "dwh", dwh);
      });
      expect(json).not.toContain("s3cret-in-env");
      expect(resourceAt(config, "dwh/apply").payload).toMatchObject({
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
    const step = (path: string) => resourceAt(config, path).provisioner[0]["local-exec"];
    expect(step("dwh/apply").interpreter).toContain("--wait=300");
    expect(step("lake/apply").interpreter).toContain("--wait=-1");
    expect(resourceAt(config, "lake/apply").payload).not.toHaveProperty("wait");

    // The synthesized command, as the provisioner runs it (a negative wait must not read as a flag).
    const server = await startServer({ apiKeys: [{ key: "k" }] });
    try {
      const { interpreter, command } = step("lake/apply");
      const out = captureIo({
        env: {
          IMMUTA_URL: server.url,
          IMMUTA_API_KEY: "k",
          DWH_PASSWORD: "pw",
          IMMUTA_PAYLOAD: JSON.stringify({ ...dwh, connectionKey: "lake", wait: undefined }),
        },
      });
      expect(await run([...interpreter.slice(2), command], out.io)).toBe(0);
      expect(server.requests().map((r) => r.query.wait)).toEqual(["-1"]);
    } finally {
      await server.close();
    }
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
    expect(resourceAt(config, "dwh/apply").payload).toMatchObject({
      connection: {
        hostname: "${terraform_data.db.output}",
        port: "${terraform_data.db.output.port}",
      },
    });
  });

  it("names its data sources from the name template, for projects", () => {
    synthStack((stack) => {
      const source = new DataSource(stack, "dwh", dwh);
      const templated = new DataSource(stack, "lake", {
        ...dwh,
        connectionKey: "lake",
        connection: { handler: "Databricks", hostname: "dbc", database: "Main" },
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
});

function resolveName(stack: TerraformStack, value: string): unknown {
  return Tokenization.resolve(value, {
    scope: stack,
    preparing: false,
    resolver: new DefaultTokenResolver(new StringConcat()),
  });
}
