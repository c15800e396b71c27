/**
 * How a payload reaches the CLI that POSTs it (providers/payload-transport.ts): known at synth, as
 * canonical JSON text in the instance, through the environment in chunks or, when large, as a file
 * written at synth and named by its hash (C12); holding values of other resources, as a Terraform
 * value encoded at apply (C8). Literal `${` and `%{` are kept byte for byte (C13). The CLI is
 * found by a path relative to the stack directory (C11).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { DataSource, GlobalPolicy, Purpose, TerraformData } from "../../src";
import { ENV_CHUNK_CHARS, FILE_THRESHOLD_BYTES } from "../../providers/payload-transport";
import { startServer } from "../../src/server";
import { SNOWFLAKE } from "../payload/fixtures";
import {
  blockOf,
  instanceOf,
  readStackFile,
  resourcesOf,
  stackFiles,
  stepOf,
  synthStack,
} from "../helpers/synth";
import { runStep } from "./run-step";
import { instanceContext, stepArgv } from "./step-argv";

function bigConnection(tables: number) {
  return {
    connectionKey: "big",
    connection: SNOWFLAKE,
    sources: Array.from({ length: tables }, (_, i) => ({
      table: `table_${i}`,
      schema: "public",
      tags: { columns: [{ columnName: "email", tags: ["PII"] }] },
    })),
  };
}

/** The payload text Terraform computes from an instance (`p` as text, or encoded). */
const PAYLOAD_TEXT = "try(tostring(self.triggers_replace), jsonencode(self.triggers_replace))";

describe("payload transport", () => {
  it("sends a payload through the environment, in chunks Terraform computes from the instance itself", () => {
    const { config } = synthStack((stack) => {
      const db = new TerraformData(stack, "db", { input: "h" });
      new Purpose(stack, "research", { name: "Research" });
      new Purpose(stack, "marketing", { name: "Marketing", description: `${db.output}` });
    });
    // One expression for every instance of the block: no chunk when the payload is a file. (A
    // payload holding values from other resources: the block's instances are objects.)
    expect(stepOf(blockOf(config, "purpose"), "create").environment).toBe(
      `\${ { for i in range(each.value.f == "" ? ceil(length(${PAYLOAD_TEXT}) / ${ENV_CHUNK_CHARS}) : 0) : ` +
        `"IMMUTA_PAYLOAD_\${i}" => substr(${PAYLOAD_TEXT}, i * ${ENV_CHUNK_CHARS}, ${ENV_CHUNK_CHARS}) } }`,
    );
    // Known at synth: the instance carries the payload's JSON text itself.
    expect(instanceOf(config, "purpose", "Research")).toMatchObject({
      p: '{"name":"Research"}',
      f: "",
    });
    // Holding a value from another resource: a Terraform value, encoded by Terraform at apply.
    expect(instanceOf(config, "purpose", "Marketing")).toMatchObject({
      p: { name: "Marketing", description: "${terraform_data.db.output}" },
      f: "",
    });
    const argv = stepArgv(
      stepOf(blockOf(config, "purpose"), "create"),
      instanceContext("Research", { f: "", a: [] }),
    );
    expect(argv.slice(argv.indexOf("--payload-env"), argv.indexOf("--payload-env") + 2)).toEqual([
      "--payload-env",
      "IMMUTA_PAYLOAD",
    ]);
    expect(argv).not.toContain("--file");
  });

  it("keeps a payload of up to the file threshold in the configuration, however many chunks it takes", () => {
    const { config, dir } = synthStack((stack) => {
      new Purpose(stack, "research", { name: "Research", description: "x".repeat(40_000) });
    });
    const instance = instanceOf(config, "purpose", "Research");
    expect(instance.f).toBe("");
    expect((instance.p as string).length).toBeGreaterThan(ENV_CHUNK_CHARS);
    expect(existsSync(join(dir, "payloads"))).toBe(false);
  });

  it("writes a large payload known at synth to a file named by its hash, in the stack directory (C12)", async () => {
    const stack = synthStack((s) => {
      new DataSource(s, "big", bigConnection(5000));
      new DataSource(s, "small", { connectionKey: "small", connection: SNOWFLAKE });
    });
    const big = instanceOf(stack.config, "data", "big");
    expect(big.f).toMatch(/^payloads\/[0-9a-f]{64}\.json$/);
    expect(stackFiles(stack)).toEqual(["cdk.tf.json", "immuta-upgrade.tf.json", big.f]);
    const written = readStackFile(stack, big.f);
    expect(Buffer.byteLength(written)).toBeGreaterThan(FILE_THRESHOLD_BYTES);
    expect(JSON.parse(written).sources).toHaveLength(5000);
    expect(big.p).toBe(written); // still the replace trigger: a changed payload is a new POST

    // The step reads the file, relative to the stack directory where Terraform runs it.
    const argv = stepArgv(
      stepOf(blockOf(stack.config, "data"), "create"),
      instanceContext("big", big),
    );
    expect(argv.slice(argv.indexOf("--file"), argv.indexOf("--file") + 2)).toEqual([
      "--file",
      big.f,
    ]);
    expect(argv).not.toContain("--payload-env");
    const tables = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => [`table_${i}`, ["email"]]),
    );
    const { hostname, database } = SNOWFLAKE;
    const server = await startServer({
      apiKeys: [{ key: "k" }],
      catalog: { connections: [{ hostname, database, schemas: { public: tables } }] },
    });
    try {
      const env = { IMMUTA_URL: server.url, IMMUTA_API_KEY: "k", DWH_PASSWORD: "pw" };
      expect(await runStep(argv, env, stack.dir)).toMatchObject({ code: 0, stderr: "" });
      expect(server.requests().map((r) => `${r.method} ${r.key} ${r.status}`)).toEqual([
        "POST big 200",
      ]);
    } finally {
      await server.close();
    }
  });

  it("keeps only the payload files of the objects synthesized now", () => {
    const outdir = mkdtempSync(join(tmpdir(), "payload-files-"));
    try {
      const files = (tables: number[]) => {
        const stack = synthStack(
          (s) => {
            for (const n of tables) {
              new DataSource(s, `big${n}`, { ...bigConnection(n), connectionKey: `big${n}` });
            }
          },
          {},
          outdir,
        );
        return stackFiles(stack).filter((f) => f.startsWith("payloads/"));
      };
      const [first, second] = files([5000, 5001]);
      expect(files([5001])).toEqual([second]);
      expect(first).not.toBe(second);
      // Bug: PayloadFiles, which clears the directory, exists only once a large payload was added
      // (providers/payload-transport.ts, src/constructs/immuta-object.ts `transport`).
      expect(files([])).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
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
      new GlobalPolicy(stack, "literal", {
        policyKey: "literal",
        name: "Rows ${region}",
        type: "data",
        actions: [
          {
            rules: [
              {
                type: "Row Restriction by Custom Where Clause",
                config: { predicate: "region = '${var.x}' %{ x }" },
              },
            ],
          },
        ],
      });
    });
    const payload = instanceOf(config, "policy", "where").p as {
      name: string;
      actions: { rules: { config: { predicate: string } }[] }[];
    };
    expect(payload.name).toBe("Rows $${region} %%{ if x }");
    expect(payload.actions[0].rules[0].config.predicate).toBe(
      "region = '$${var.x}' AND host = '${terraform_data.db.output}'",
    );
    const literal = instanceOf(config, "policy", "literal");
    expect(literal.p).toContain(`"predicate":"region = '$\${var.x}' %%{ x }"`);
    expect(literal.payload).toMatchObject({
      name: "Rows ${region}",
      actions: [{ rules: [{ config: { predicate: "region = '${var.x}' %{ x }" } }] }],
    });
  });

  it("escapes ${ and %{ in object keys of a payload holding tokens", () => {
    const { config } = synthStack((stack) => {
      const db = new TerraformData(stack, "db", { input: "h" });
      new DataSource(stack, "dwh", {
        connectionKey: "dwh",
        connection: { ...SNOWFLAKE, hostname: `${db.output}` },
        sources: [
          {
            table: "t",
            schema: "s",
            tags: { columns: [{ columnName: "c${x}", tags: ["T%{y}"] }] },
          },
        ],
      });
    });
    expect(instanceOf(config, "data", "dwh").p).toMatchObject({
      sources: [{ tags: { columns: [{ columnName: "c$${x}", tags: ["T%%{y}"] }] } }],
    });
  });

  it("starts the CLI by a path relative to the stack directory, never an absolute one (C11)", () => {
    // Synthesized where cdktf puts it, inside the project (cdktf.out), as a user's app would be.
    const outdir = mkdtempSync(join(__dirname, "..", "..", "cdktf.out-test-"));
    try {
      const stack = synthStack(
        (s) => {
          new Purpose(s, "research", { name: "Research" });
        },
        {},
        outdir,
      );
      const argv = stepArgv(
        stepOf(blockOf(stack.config, "purpose"), "create"),
        instanceContext("Research", { f: "", a: [] }),
      );
      const [node, bin] = argv;
      expect(node).toBe("node");
      expect(isAbsolute(bin)).toBe(false);
      expect(bin).toBe("../../../bin/immuta-v2.js");
      expect(existsSync(resolve(stack.dir, bin))).toBe(true);
      // Every step of every resource: objects, guard, confirm steps.
      // (cdktf's default local backend path is absolute: a moved checkout should configure its own)
      const steps = JSON.stringify(
        Object.values(resourcesOf(stack.config)).map((r) => r.provisioner),
      );
      expect(steps).not.toContain(resolve(__dirname, "..", ".."));
      expect(steps.match(/\.\.\/\.\.\/\.\.\/bin\/immuta-v2\.js/g)).toHaveLength(4 * 2 + 1 + 4 * 2);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("uses the command the provider names instead, when given", () => {
    const { config } = synthStack(
      (s) => {
        new Purpose(s, "research", { name: "Research" });
      },
      { cliCommand: ["immuta-v2"] },
    );
    const argv = stepArgv(
      stepOf(blockOf(config, "purpose"), "create"),
      instanceContext("Research", { f: "", a: [] }),
    );
    expect(argv.slice(0, 3)).toEqual(["immuta-v2", "apply", "--kind"]);
    const all = JSON.stringify(Object.values(resourcesOf(config)).map((r) => r.provisioner));
    expect(all).not.toContain("bin/immuta-v2.js");
  });
});
