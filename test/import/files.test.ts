/** `immuta-v2 import --format files` from a tenant: the governance folder it writes. */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { cli } from "../cli/harness";
import {
  API_KEY,
  CLIENT_SECRET,
  DATABRICKS_TOKEN,
  DB_PASSWORD,
  EDGE_CASES,
  documentedExamples,
  tempDir,
  tenant,
  type Tenant,
} from "./support";

const REPO = join(__dirname, "..", "..");
const env = { IMMUTA_API_KEY: API_KEY };
const secrets = [DATABRICKS_TOKEN];

/** Every file below `dir`, by its path relative to it, with its text. */
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

describe("immuta-v2 import --format files", () => {
  let from: Tenant;
  beforeAll(async () => {
    from = await tenant([...documentedExamples(), ...EDGE_CASES]);
  });
  afterAll(() => from?.close());

  const importInto = (out: string, ...flags: string[]) =>
    cli(["import", "--from", from.server.url, "--out", out, ...flags], { onlyEnv: env, secrets });

  it("writes one YAML file per object, in a folder per kind, each saying what it holds", async () => {
    const out = tempDir();
    const result = await importInto(out);
    expect(result.code).toBe(0);
    expect(Object.keys(readTree(out)).sort()).toEqual([
      "data-sources/acme-all-tables.yaml",
      "data-sources/internal-dwh.yaml",
      "data-sources/my-databricks.yaml",
      "policies/anyone-can-subscribe.yaml",
      "policies/approval-to-subscribe.yaml",
      "policies/data-mask-constant.yaml",
      "policies/entitlements.yaml",
      "policies/hash-pii-for-contractors.yaml",
      "policies/recertified.yaml",
      "projects/customers-ops.yaml",
      "projects/databricks-workspace.yaml",
      "projects/dwh-reports.yaml",
      "projects/fraud-analysis.yaml",
      "projects/simplest-possible-project.yaml",
      "purposes/purpose-hierarchy.yaml",
      "purposes/research.yaml",
      "purposes/unicode-quotes.yaml",
    ]);
    const schema = relative(join(out, "policies"), join(REPO, "schemas", "policy.json"));
    // The tenant keeps policies with sorted fields; the file has them in the schema's order,
    // and the alias the docs' example used (requiredPermissions) as Immuta's main spelling.
    expect(readFileSync(join(out, "policies", "approval-to-subscribe.yaml"), "utf8")).toBe(
      [
        `# yaml-language-server: $schema=${schema}`,
        '# Global policy "approval to subscribe", imported by immuta-v2 import.',
        "policyKey: approval to subscribe",
        "name: Approval to subscribe",
        "type: subscription",
        "actions:",
        "  type: approval",
        "  approvals:",
        "    - specificApproverRequired: false",
        "      requiredPermission: OWNER",
        "circumstances:",
        "  - type: columnTags",
        "    columnTag: PCI",
        "",
      ].join("\n"),
    );
    expect(result.stdout).toMatch(
      /^imported 17 objects from http:\/\/127\.0\.0\.1:\d+ \(3 purposes, 3 data source connections, 6 global policies, 5 projects\) into .*: 17 files written\n/,
    );
  });

  it("points each file's $schema hint at the package's schema of its kind", async () => {
    const out = tempDir();
    await importInto(out);
    for (const [path, text] of Object.entries(readTree(out))) {
      const hint = /^# yaml-language-server: \$schema=(.+)$/m.exec(text)?.[1];
      const kind = {
        purposes: "purpose",
        "data-sources": "data",
        policies: "policy",
        projects: "project",
      }[path.split("/")[0]];
      expect(resolve(join(out, dirname(path)), hint!)).toBe(join(REPO, "schemas", `${kind}.json`));
      expect(existsSync(join(REPO, "schemas", `${kind}.json`))).toBe(true);
    }
  });

  it("gives byte-identical files for the same tenant, and rewrites none on a second run", async () => {
    const [first, second] = [tempDir(), tempDir()];
    await importInto(first);
    await importInto(second);
    expect(readTree(second)).toEqual(readTree(first));
    const before = statSync(join(first, "purposes", "research.yaml")).mtimeMs;
    const again = await importInto(first);
    expect(again.stdout).toMatch(/: 0 files written, 17 unchanged\n/);
    expect(statSync(join(first, "purposes", "research.yaml")).mtimeMs).toBe(before);
  });

  it("turns every secret into an $env placeholder named after the object and field, and lists them last", async () => {
    const out = tempDir();
    const result = await importInto(out);
    const files = readTree(out);
    for (const text of Object.values(files)) {
      for (const secret of [DB_PASSWORD, CLIENT_SECRET, DATABRICKS_TOKEN, "[redacted]"]) {
        expect(text).not.toContain(secret);
      }
    }
    expect(files["data-sources/acme-all-tables.yaml"]).toContain(
      [
        "  clientSecret:",
        "    $env: ACME_ALL_TABLES_CLIENT_SECRET # secret: set it in the environment of the deploy",
        "  userFiles:",
        "    - keyName: PRIV_KEY_FILE",
        "      content:",
        "        $env: ACME_ALL_TABLES_USER_FILES_0_CONTENT # secret: set it in the environment of the deploy",
      ].join("\n"),
    );
    expect(
      result.stdout.endsWith(
        [
          "Secrets are not exported. Set these environment variables where the deploy runs:",
          '  ACME_ALL_TABLES_CLIENT_SECRET         data source connection "acme/all tables" connection.clientSecret',
          '  ACME_ALL_TABLES_USER_FILES_0_CONTENT  data source connection "acme/all tables" connection.userFiles[0].content',
          '  INTERNAL_DWH_PASSWORD                 data source connection "internal dwh" connection.password',
          '  MY_DATABRICKS_PASSWORD                data source connection "my-databricks" connection.password',
          "",
        ].join("\n"),
      ),
    ).toBe(true);
  });

  it("writes files that immuta-v2 validate accepts, quoting what YAML readers would misread", async () => {
    const out = tempDir();
    await importInto(out);
    const validated = await cli(["validate", out]);
    expect(validated.stdout).toMatch(/17 payloads valid\n$/);
    expect(validated.code).toBe(0);
    // Quoting that YAML needs: values a YAML 1.1 reader takes for booleans or numbers, colons, #.
    expect(readTree(out)["data-sources/internal-dwh.yaml"]).toContain('username: "yes"');
    expect(readTree(out)["data-sources/internal-dwh.yaml"]).toContain(
      'tableTags: ["on", "123", "Source: DWH #1"]',
    );
  });

  it("lists files of the imported kinds that it did not write, and leaves them as they are", async () => {
    const out = tempDir();
    mkdirSync(join(out, "purposes"), { recursive: true });
    writeFileSync(join(out, "purposes", "retired.yaml"), "name: Retired\n");
    writeFileSync(join(out, "notes.md"), "not a payload\n");
    const result = await importInto(out, "--only", "purpose");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `note   not from this import, left as they are (PayloadDirectory still loads them):\n` +
        `         ${relative(process.cwd(), out)}/purposes/retired.yaml\n`,
    );
    expect(readFileSync(join(out, "purposes", "retired.yaml"), "utf8")).toBe("name: Retired\n");
  });
});
