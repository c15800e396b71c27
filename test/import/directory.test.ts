/** `immuta-v2 import --from DIR`: payload files as `immuta clone` writes them, in any layout. */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { cli } from "../cli/harness";
import { loadPayloadFile } from "../../src/payload/load";
import { SEED_DIR } from "../payload/fixtures";
import { API_KEY, DATABRICKS_TOKEN, documentedExamples, tempDir, tenant } from "./support";

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return out;
}

/** A folder of files: name → text. */
function folder(files: Record<string, string>): string {
  const dir = tempDir("immuta-import-source-");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("immuta-v2 import --from DIR", () => {
  it("gives the same files as importing a tenant that holds the same payloads", async () => {
    // The documented examples in a layout of their own: nested folders, one file each kind.
    const source = tempDir("immuta-import-source-");
    mkdirSync(join(source, "a", "b"), { recursive: true });
    copyFileSync(join(SEED_DIR, "policies.yaml"), join(source, "a", "b", "policies.yaml"));
    copyFileSync(join(SEED_DIR, "purposes.yaml"), join(source, "a", "purposes.yml"));
    copyFileSync(join(SEED_DIR, "projects.yaml"), join(source, "projects.yaml"));
    copyFileSync(join(SEED_DIR, "databricks.yaml"), join(source, "databricks.yaml"));
    const fromFiles = tempDir();
    const files = await cli(["import", "--from", source, "--out", fromFiles]);
    expect(files.code).toBe(0);

    const holding = await tenant(documentedExamples());
    const fromTenant = tempDir();
    try {
      const served = await cli(["import", "--from", holding.server.url, "--out", fromTenant], {
        onlyEnv: { IMMUTA_API_KEY: API_KEY },
        secrets: [DATABRICKS_TOKEN],
      });
      expect(served.code).toBe(0);
    } finally {
      await holding.close();
    }

    const [a, b] = [readTree(fromFiles), readTree(fromTenant)];
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    for (const path of Object.keys(a)) {
      if (path === "data-sources/my-databricks.yaml") continue;
      expect([path, a[path]]).toEqual([path, b[path]]);
    }
    // The one difference: the files' own placeholder is kept; the tenant's redacted value is named.
    const withVariable = (text: string, name: string) =>
      text.replace(/DATABRICKS_TOKEN|MY_DATABRICKS_PASSWORD/g, name);
    expect(a["data-sources/my-databricks.yaml"]).toContain("$env: DATABRICKS_TOKEN");
    expect(withVariable(a["data-sources/my-databricks.yaml"], "X")).toBe(
      withVariable(b["data-sources/my-databricks.yaml"], "X"),
    );
    expect(files.stdout).toContain(
      '  DATABRICKS_TOKEN  data source connection "my-databricks" connection.password\n',
    );
  });

  it("reads JSON files and several YAML documents a file, and normalises the documented aliases", async () => {
    const source = folder({
      "export/project.json": JSON.stringify({
        $schema: "../schemas/project.json",
        projectKey: "p",
        name: "P",
        allowedMaskedJoins: true,
      }),
      "export/purposes.yaml": "name: A\n---\n# only a comment\n---\nname: B\ndescription: second\n",
    });
    const out = tempDir();
    const result = await cli(["import", "--from", source, "--out", out]);
    expect(result.code).toBe(0);
    const tree = readTree(out);
    expect(Object.keys(tree).sort()).toEqual([
      "projects/p.yaml",
      "purposes/a.yaml",
      "purposes/b.yaml",
    ]);
    expect(tree["projects/p.yaml"]).toMatch(/\nprojectKey: p\nname: P\nallowMaskedJoins: true\n$/);
    expect(tree["projects/p.yaml"]).not.toContain("$schema:");
  });

  it("turns a secret written in clear into a placeholder, without writing or printing it", async () => {
    const clear = "hunter2-Qm7xV9pL";
    const source = folder({
      "dwh.yaml": [
        "connectionKey: dwh-prod",
        "connection:",
        "  handler: PostgreSQL",
        "  hostname: db.example.com",
        "  database: DWH",
        "  username: immuta",
        `  password: ${clear}`,
      ].join("\n"),
    });
    const out = tempDir();
    const result = await cli(["import", "--from", source, "--out", out, "--format", "ts"], {
      secrets: [clear],
    });
    expect(result.code).toBe(0);
    const module = readFileSync(join(out, "governance.ts"), "utf8");
    expect(module).toContain('      password: Secret.fromEnv("DWH_PROD_PASSWORD"),');
    expect(module).not.toContain(clear);
    expect(result.stdout).toContain(
      '  DWH_PROD_PASSWORD  data source connection "dwh-prod" connection.password\n',
    );
  });

  it("reports what it cannot read with file and line, imports the rest, and exits 1", async () => {
    const source = folder({
      "good.yaml": "name: Research\n",
      "broken.yaml": "name: [unclosed\n",
      "mixed.yaml":
        "policyKey: k\nname: K\ntype: subscription\nactions: { type: anyone }\n---\nfoo: bar\n",
      "twice/one.yaml": "name: Marketing\n",
      "twice/two.yaml": "description: again\nname: Marketing\n",
      "keyless.json": '{ "projectKey": 7, "name": "P" }',
    });
    const out = tempDir();
    const result = await cli(["import", "--from", ".", "--out", out], { cwd: source });
    expect(result.code).toBe(1);
    const lines = result.stdout.split("\n");
    expect(lines).toContainEqual(expect.stringMatching(/^error {2}broken\.yaml:\d+:\d+: /));
    expect(lines).toContain(
      "error  mixed.yaml:6: cannot tell the kind of this payload: it needs connectionKey (data source), policyKey (policy), projectKey (project) or name (purpose)",
    );
    expect(lines).toContain(
      'error  twice/two.yaml:1: purpose "Marketing" is defined twice: first at twice/one.yaml:1; this one is not imported',
    );
    expect(lines).toContain(
      "error  keyless.json:1: projectKey must be a literal string: it names the project, and its file",
    );
    expect(Object.keys(readTree(out)).sort()).toEqual([
      "policies/k.yaml",
      "purposes/marketing.yaml",
      "purposes/research.yaml",
    ]);
    expect(result.stdout).toMatch(/: 3 files written; 4 not read\n/);
  });

  it("keeps a key with a line break from ending a comment: the file reads back as it was", async () => {
    const source = folder({ "odd.json": JSON.stringify({ name: "two\nlines # and a hash" }) });
    const out = tempDir();
    expect((await cli(["import", "--from", source, "--out", out])).code).toBe(0);
    const file = join(out, "purposes", "two-lines-and-a-hash.yaml");
    expect(readFileSync(file, "utf8")).toContain(
      '# Purpose "two\\nlines # and a hash", imported by immuta-v2 import.\n',
    );
    expect(loadPayloadFile(file).map((p) => p.payload)).toEqual([
      { name: "two\nlines # and a hash" },
    ]);
  });

  it("says so when the folder does not exist", async () => {
    const result = await cli(["import", "--from", "no/such/folder", "--out", tempDir()]);
    expect(result).toMatchObject({
      code: 1,
      stderr: "immuta-v2: --from no/such/folder: no such file or directory\n",
    });
  });
});
