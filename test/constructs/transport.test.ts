import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { DataSource, GlobalPolicy, Purpose, TerraformData } from "../../src";
import { ENV_CHUNK_CHARS, FILE_THRESHOLD_BYTES } from "../../providers/payload-transport";
import { readStackFile, resourceAt, synthStack } from "../helpers/synth";

function bigConnection(tables: number) {
  return {
    connectionKey: "big",
    connection: {
      handler: "Snowflake",
      hostname: "acme.snowflakecomputing.com",
      database: "ANALYTICS",
    },
    sources: Array.from({ length: tables }, (_, i) => ({
      table: `table_${i}`,
      schema: "public",
      tags: { columns: [{ columnName: "email", tags: ["PII"] }] },
    })),
  };
}

describe("payload transport", () => {
  it("sends a small payload through the environment, in chunks Terraform computes from the resource itself", () => {
    const { config } = synthStack((stack) => {
      const db = new TerraformData(stack, "db", { input: "h" });
      new Purpose(stack, "research", { name: "Research" });
      new Purpose(stack, "marketing", { name: "Marketing", description: `${db.output}` });
    });
    const chunks = (text: string) =>
      `\${ { for i in range(ceil(length(${text}) / ${ENV_CHUNK_CHARS})) : ` +
      `"IMMUTA_PAYLOAD_\${i}" => substr(${text}, i * ${ENV_CHUNK_CHARS}, ${ENV_CHUNK_CHARS}) } }`;
    // Known at synth: the resource carries the payload's JSON text itself, in one variable
    // when it fits one.
    const known = resourceAt(config, "research/apply");
    expect(known.triggers_replace).toBe('{"name":"Research"}');
    expect(known.provisioner[0]["local-exec"].environment).toEqual({
      IMMUTA_PAYLOAD: "${self.triggers_replace}",
    });
    // Holding a value from another resource: a Terraform value, encoded by Terraform at apply.
    const later = resourceAt(config, "marketing/apply");
    expect(later.triggers_replace).toEqual({
      name: "Marketing",
      description: "${terraform_data.db.output}",
    });
    expect(later.provisioner[0]["local-exec"].environment).toBe(
      chunks("jsonencode(self.triggers_replace)"),
    );
  });

  it("splits a payload known at synth over several variables when it does not fit one", () => {
    const { config } = synthStack((stack) => {
      new Purpose(stack, "research", { name: "Research", description: "x".repeat(40_000) });
    });
    expect(resourceAt(config, "research/apply").provisioner[0]["local-exec"].environment).toBe(
      `\${ { for i in range(ceil(length(self.triggers_replace) / ${ENV_CHUNK_CHARS})) : ` +
        `"IMMUTA_PAYLOAD_\${i}" => substr(self.triggers_replace, i * ${ENV_CHUNK_CHARS}, ${ENV_CHUNK_CHARS}) } }`,
    );
  });

  it("writes a large payload known at synth to a file named by its hash, in the stack directory (C12)", () => {
    const stack = synthStack((s) => {
      new DataSource(s, "big", bigConnection(5000));
    });
    const step = resourceAt(stack.config, "big/apply").provisioner[0]["local-exec"];
    const file = step.interpreter[step.interpreter.indexOf("--file") + 1];
    expect(file).toMatch(/^payloads\/[0-9a-f]{64}\.json$/);
    expect(step.environment).toBeUndefined();
    const written = readStackFile(stack, file);
    expect(written.length).toBeGreaterThan(FILE_THRESHOLD_BYTES);
    expect(JSON.parse(written).sources).toHaveLength(5000);
  });

  it("refuses a payload with apply-time values too large for the environment", () => {
    expect(() =>
      synthStack((s) => {
        const db = new TerraformData(s, "db", { input: "h" });
        const payload = bigConnection(12000);
        new DataSource(s, "big", {
          ...payload,
          connection: { ...payload.connection, hostname: `${db.output}` },
        });
      }),
    ).toThrow(
      /governance\/big: this payload is \d+ bytes and holds values known only at apply time/,
    );
  });

  it("keeps ${ and %{ in literal strings byte for byte (C13), and still resolves tokens among them", () => {
    const { config } = synthStack((stack) => {
      const db = new TerraformData(stack, "db", { input: "h" });
      new GlobalPolicy(stack, "where", {
        policyKey: "where",
        name: "Rows ${region} %{ if x }",
        type: "data",
        actions: [
          {
            rules: [
              {
                type: "Row Restriction by Custom Where Clause",
                config: { predicate: `region = '\${var.x}' AND host = '${db.output}'` },
              },
            ],
          },
        ],
      });
    });
    const payload = resourceAt(config, "where/apply").triggers_replace as {
      name: string;
      actions: { rules: { config: { predicate: string } }[] }[];
    };
    expect(payload.name).toBe("Rows $${region} %%{ if x }");
    expect(payload.actions[0].rules[0].config.predicate).toBe(
      "region = '$${var.x}' AND host = '${terraform_data.db.output}'",
    );
  });

  it("starts the CLI by a path relative to the stack directory, never an absolute one (C11)", () => {
    // Synthesized where cdktf puts it, inside the project (cdktf.out), as a user's app would be.
    const outdir = mkdtempSync(join(__dirname, "..", "..", "cdktf.out-test-"));
    const stack = synthStack(
      (s) => {
        new Purpose(s, "research", { name: "Research" });
      },
      {},
      outdir,
    );
    rmSync(outdir, { recursive: true, force: true });
    const [node, bin] = resourceAt(stack.config, "research/apply").provisioner[0]["local-exec"]
      .interpreter;
    expect(node).toBe("node");
    expect(isAbsolute(bin)).toBe(false);
    expect(bin).toBe("../../../bin/immuta-v2.js");
    expect(existsSync(resolve(stack.dir, bin))).toBe(true);
    // (cdktf's default local backend path is absolute: a moved checkout should configure its own)
    const commands = JSON.stringify(
      Object.values(stack.config.resource?.terraform_data ?? {}).map((r) => r.provisioner),
    );
    expect(commands).not.toContain(resolve(__dirname, "..", ".."));
  });

  it("uses the command the provider names instead, when given", () => {
    const { config } = synthStack(
      (s) => {
        new Purpose(s, "research", { name: "Research" });
      },
      { cliCommand: ["immuta-v2"] },
    );
    expect(resourceAt(config, "research/apply").provisioner[0]["local-exec"].interpreter[0]).toBe(
      "immuta-v2",
    );
  });
});
