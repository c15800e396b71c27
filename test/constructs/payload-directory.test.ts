import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PayloadDirectory } from "../../src";
import { SEED_DIR } from "../payload/fixtures";
import { addresses, blockOf, instanceOf, synthStack } from "../helpers/synth";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function directory(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "payload-dir-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const WAREHOUSE = [
  "connection:",
  "  handler: Snowflake",
  "  hostname: h",
  "  database: D",
  "  warehouse: W",
  "  authenticationMethod: userPassword",
  "  username: u",
  "  password: { $env: DWH_PASSWORD }",
].join("\n");

describe("PayloadDirectory", () => {
  it("creates one construct per payload, named after its kind and key", () => {
    let created: string[] = [];
    const { config, moved } = synthStack((stack) => {
      const governance = new PayloadDirectory(stack, "governance", { path: SEED_DIR });
      created = governance.objects.map((o) => `${o.kind}/${o.key}`);
    });
    expect(created).toEqual([
      "purpose/Purpose Hierarchy",
      "purpose/Research",
      "data/my-databricks",
      "policy/anyone can subscribe",
      "policy/approval to subscribe",
      "policy/entitlements",
      "policy/data mask constant",
      "policy/hash pii for contractors",
      "project/simplest possible project",
      "project/fraud analysis",
      "project/databricks workspace",
    ]);
    // The instances by key; the 0.1.0 addresses the upgrade moves from, by construct id.
    expect({ addresses: addresses(config), moved }).toMatchSnapshot();
  });

  it("creates a project after the purposes and data sources it names, by the blocks' order", () => {
    const { config } = synthStack((stack) => {
      new PayloadDirectory(stack, "governance", { path: SEED_DIR });
    });
    expect(instanceOf(config, "project", "fraud analysis").payload).toMatchObject({
      purposes: ["Purpose Hierarchy.Child 1"],
      datasources: ["data credit_card_transactions"],
    });
    expect(blockOf(config, "project").depends_on).toEqual([
      "terraform_data.immuta_guard",
      "terraform_data.immuta_purpose_confirm",
      "terraform_data.immuta_data_confirm",
    ]);
  });

  it("synthesizes the same configuration when a payload moves to another file", () => {
    const together = directory({
      "all.yaml": "name: Research\n---\nprojectKey: p\nname: P\npurposes: [Research]\n",
    });
    const apart = directory({
      "a-project.yaml": "projectKey: p\nname: P\npurposes: [Research]\n",
      "z-purposes.yml": "# moved here\nname: Research\n",
    });
    const synth = (path: string) =>
      synthStack((stack) => {
        new PayloadDirectory(stack, "governance", { path });
      });
    const [a, b] = [synth(apart), synth(together)];
    expect(a.json).toBe(b.json);
    expect(a.moved).toEqual(b.moved);
  });

  it("validates connections per handler, naming the file and line", () => {
    const dir = directory({
      "warehouse.yaml":
        "connectionKey: dwh\nconnection:\n  handler: Snowflake\n  hostname: h\n  database: D\n",
    });
    let message = "";
    try {
      synthStack((stack) => {
        new PayloadDirectory(stack, "governance", { path: dir });
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`${dir}/warehouse.yaml:1 `);
    expect(message).toMatch(/\n\s+connection\.authenticationMethod: required(\n|$)/);
    expect(message).toMatch(/\n\s+connection\.warehouse: required(\n|$)/);
    const complete = directory({ "warehouse.yaml": `connectionKey: dwh\n${WAREHOUSE}\n` });
    const { config } = synthStack((stack) => {
      new PayloadDirectory(stack, "governance", { path: complete });
    });
    expect(Object.keys(blockOf(config, "data").for_each ?? {})).toEqual(["dwh"]);
  });

  it("refuses the same key twice, naming both files and lines", () => {
    const dir = directory({
      "a.yaml": "name: Research\n",
      "b.yaml": "name: Marketing\n---\nname: Research\ndescription: again\n",
    });
    expect(() =>
      synthStack((stack) => {
        new PayloadDirectory(stack, "governance", { path: dir });
      }),
    ).toThrow(`purpose "Research" is defined twice: at ${dir}/a.yaml:1 and at ${dir}/b.yaml:3`);
  });

  it("keeps secret placeholders as placeholders", () => {
    const dir = directory({});
    cpSync(join(SEED_DIR, "databricks.yaml"), join(dir, "databricks.yaml"));
    expect(readFileSync(join(dir, "databricks.yaml"), "utf8")).toContain("$env: DATABRICKS_TOKEN");
    process.env.DATABRICKS_TOKEN = "token-must-not-appear";
    try {
      const { config, json } = synthStack((stack) => {
        new PayloadDirectory(stack, "governance", { path: dir });
      });
      expect(instanceOf(config, "data", "my-databricks").payload).toMatchObject({
        connection: { password: { $env: "DATABRICKS_TOKEN" } },
      });
      expect(json).not.toContain("token-must-not-appear");
    } finally {
      delete process.env.DATABRICKS_TOKEN;
    }
  });
});
