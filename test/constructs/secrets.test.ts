/**
 * C9: a secret (the API key, a connection password) is in no synthesized file. The configuration
 * names environment variables; the CLI reads their values at apply time.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DataSource, Secret, TerraformData } from "../../src";
import { SNOWFLAKE } from "../payload/fixtures";
import { stackFiles, synthStack } from "../helpers/synth";

const SECRETS = {
  IMMUTA_API_KEY: "immuta-api-key-value",
  ACME_KEY: "acme-api-key-value",
  DWH_PASSWORD: "dwh-password-value",
  LAKE_PASSWORD: "lake-password-value",
};

describe("secrets", () => {
  beforeEach(() => Object.assign(process.env, SECRETS));
  afterEach(() => Object.keys(SECRETS).forEach((name) => delete process.env[name]));

  it.each([
    ["terraform_data", {}],
    ["null_resource", { carrier: "null_resource" as const }],
  ])("reach no file the synth writes (%s carrier)", (_carrier, carrier) => {
    const stack = synthStack(
      (s) => {
        const db = new TerraformData(s, "db", { input: "h" });
        // Known at synth, large: a payload file.
        new DataSource(s, "big", {
          connectionKey: "big",
          connection: SNOWFLAKE,
          sources: Array.from({ length: 4000 }, (_, i) => ({ table: `t${i}`, schema: "s" })),
        });
        // Holding a value known at apply: through the environment.
        new DataSource(s, "lake", {
          connectionKey: "lake",
          connection: {
            ...SNOWFLAKE,
            hostname: `${db.output}`,
            password: Secret.fromEnv("LAKE_PASSWORD"),
          },
        });
      },
      { apiKeyEnv: "ACME_KEY", url: "https://acme.immuta.example", ...carrier },
    );
    const files = stackFiles(stack);
    expect(files).toEqual([
      "cdk.tf.json",
      "immuta-upgrade.tf.json",
      expect.stringMatching(/^payloads\/[0-9a-f]{64}\.json$/),
    ]);
    const written = files.map((f) => readFileSync(join(stack.dir, f), "utf8")).join("\n");
    for (const value of Object.values(SECRETS)) expect(written).not.toContain(value);
    // What the files hold instead: the names of the variables.
    expect(written).toContain('"$env":"DWH_PASSWORD"'); // the payload file
    expect(written).toContain('"$env": "LAKE_PASSWORD"'); // the configuration
    expect(written).toContain('\\"--api-key-env\\", \\"ACME_KEY\\"'); // an argv expression
  });
});
