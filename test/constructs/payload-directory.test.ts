import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PayloadDirectory } from "../../src";
import { SEED_DIR } from "../payload/fixtures";
import { addresses, resourceAt, synthStack } from "../helpers/synth";

function directory(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "payload-dir-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("PayloadDirectory", () => {
  it("creates one construct per payload, named after its kind and key", () => {
    let created: string[] = [];
    const { config } = synthStack((stack) => {
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
    expect(addresses(config)).toMatchSnapshot();
  });

  it("makes a project depend on the purposes and data sources of the same directory it names", () => {
    const { config } = synthStack((stack) => {
      new PayloadDirectory(stack, "governance", { path: SEED_DIR });
    });
    const project = resourceAt(config, "project:fraud analysis/apply");
    expect(project.depends_on).toEqual([
      resourceAt(config, "purpose:Purpose Hierarchy/apply").address,
      resourceAt(config, "data:my-databricks/apply").address,
    ]);
  });

  it("makes a project naming an unknown data source wait for the connections taking every table", () => {
    const dir = directory({
      "warehouse.yaml": [
        "connectionKey: all-tables",
        "connection: { handler: Snowflake, hostname: h, database: D }",
        "---",
        "connectionKey: listed",
        "connection: { handler: Snowflake, hostname: h2, database: D }",
        "sources: [{ table: orders, schema: public }]",
        "---",
        "projectKey: p",
        "name: P",
        "datasources: [public.customers]",
      ].join("\n"),
    });
    const { config } = synthStack((stack) => {
      new PayloadDirectory(stack, "governance", { path: dir });
    });
    expect(resourceAt(config, "project:p/apply").depends_on).toEqual([
      resourceAt(config, "data:all-tables/apply").address,
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
      }).json;
    expect(synth(apart)).toBe(synth(together));
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

  it("reports problems with the file and line a person edits, and the field path", () => {
    const dir = directory({ "p.yaml": "# comment\nname: Research\nacknowledgment: typo\n" });
    expect(() =>
      synthStack((stack) => {
        new PayloadDirectory(stack, "governance", { path: dir });
      }),
    ).toThrow(
      `${dir}/p.yaml:2 (governance/governance/purpose:Research): 1 problem\n` +
        '  acknowledgment: unknown field; did you mean "acknowledgement"? (allowed here: name, description, acknowledgement, kAnonNoiseReduction, subpurposes)',
    );
  });

  it("keeps secret placeholders as placeholders", () => {
    const dir = mkdtempSync(join(tmpdir(), "payload-dir-"));
    cpSync(join(SEED_DIR, "databricks.yaml"), join(dir, "databricks.yaml"));
    expect(readFileSync(join(dir, "databricks.yaml"), "utf8")).toContain("$env: DATABRICKS_TOKEN");
    const { config } = synthStack((stack) => {
      new PayloadDirectory(stack, "governance", { path: dir });
    });
    expect(resourceAt(config, "data:my-databricks/apply").payload).toMatchObject({
      connection: { password: { $env: "DATABRICKS_TOKEN" } },
    });
  });

  it("names a missing path", () => {
    expect(() =>
      synthStack((stack) => {
        new PayloadDirectory(stack, "governance", { path: "/no/such/dir" });
      }),
    ).toThrow("PayloadDirectory: /no/such/dir: no such file or directory");
  });
});
