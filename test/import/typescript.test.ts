/** `immuta-v2 import --format ts`: a TypeScript module of constructs that compiles and is formatted. */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { typescriptModule } from "../../src/import/write-ts";
import { cli } from "../cli/harness";
import {
  API_KEY,
  prettier,
  DATABRICKS_TOKEN,
  EDGE_CASES,
  documentedExamples,
  generatedTenant,
  tempDir,
  tenant,
  type Tenant,
} from "./support";

const REPO = join(__dirname, "..", "..");

// tsc over cdktf's types takes a while on a shared machine.
jest.setTimeout(180_000);

describe("immuta-v2 import --format ts", () => {
  let from: Tenant;
  let module: string;
  let stdout: string;
  beforeAll(async () => {
    from = await tenant([...documentedExamples(), ...EDGE_CASES, ...generatedTenant(8)], 8);
    const out = tempDir();
    const result = await cli(
      ["import", "--from", from.server.url, "--out", out, "--format", "ts"],
      {
        onlyEnv: { IMMUTA_API_KEY: API_KEY },
        secrets: [DATABRICKS_TOKEN],
      },
    );
    expect(result.code).toBe(0);
    stdout = result.stdout;
    module = readFileSync(join(out, "governance.ts"), "utf8");
  });
  afterAll(() => from?.close());

  it("exports governance(scope, provider?), adding one construct per object with PayloadDirectory's ids", () => {
    expect(module).toContain(
      "export function governance(scope: Construct, provider?: ImmutaProvider): void {",
    );
    expect(module).toContain('import type { Construct } from "constructs";');
    expect(module).toContain('} from "cdktf-immuta";');
    expect(module.match(/new (Purpose|DataSource|GlobalPolicy|Project)\(/g)).toHaveLength(25);
    expect(module).toContain('new DataSource(scope, "data:acme%2Fall tables", {');
    expect(stdout).toMatch(/ into .*\/governance\.ts: 1 file written\n/);
  });

  it("refers to the purposes, sub-purposes and data sources a project names", () => {
    expect(module).toContain(
      'const purposeHierarchy = new Purpose(scope, "purpose:Purpose Hierarchy", {',
    );
    expect(module).toContain('    purposes: [purposeHierarchy.subpurpose("Child 1")],');
    expect(module).toContain(
      '    datasources: [myDatabricks.dataSourceName("data", "credit_card_transactions")],',
    );
    // A table of a connection taking every table: known from the tenant's report.
    expect(module).toContain(
      '    datasources: [acmeAllTables.dataSourceName("public", "customers")],',
    );
    // A name made by a naming template, and a query source (which no construct names): a string.
    expect(module).toContain(
      '    datasources: [internalDwh.dataSourceName("public", "orders"), "leads q"],',
    );
    expect(module).toContain("    purposes: [unicodeQuotes],");
    // The generated tenant's template uses <database>.
    expect(module).toContain(
      '    datasources: [\n      warehouse0.dataSourceName("public", "orders"),\n      warehouse0.dataSourceName("public", "payments"),\n    ],',
    );
  });

  it("reads secrets with Secret.fromEnv and names the variables in its header", () => {
    expect(module).toContain('      password: Secret.fromEnv("MY_DATABRICKS_PASSWORD"),');
    expect(module).toContain(
      '      clientSecret: Secret.fromEnv("ACME_ALL_TABLES_CLIENT_SECRET"),',
    );
    expect(module).toMatch(
      /^ \* Secrets are not exported: set these environment variables where the deploy runs:\n \* {3}ACME_ALL_TABLES_CLIENT_SECRET\n/m,
    );
    expect(module).not.toContain("[redacted]");
  });

  it("adopts every object, as Immuta already holds it", () => {
    expect(module.match(/\n {4}provider,\n {4}adopt: true,\n/g)).toHaveLength(25);
  });

  it("keeps query flags the tenant holds as construct props", () => {
    expect(module).toMatch(
      /new Project\(scope, "project:customers%2Fops", \{\n(.*\n)*? {4}deleteDataSourcesOnWorkspaceDelete: true,\n {2}\}\);/,
    );
  });

  it("is laid out as prettier lays it out with the project's settings", () => {
    expect(prettier(module)).toBe(module);
  });

  it("compiles under the project's strict tsconfig, used from a cdktf app", () => {
    const dir = tempDir("immuta-import-tsc-");
    writeFileSync(join(dir, "governance.ts"), module);
    // A tenant with nothing to import still gives a module that compiles (no unused names).
    writeFileSync(join(dir, "empty.ts"), typescriptModule([]));
    writeFileSync(
      join(dir, "main.ts"),
      [
        'import { App, TerraformStack } from "cdktf";',
        'import { ImmutaProvider } from "cdktf-immuta";',
        'import { governance as empty } from "./empty";',
        'import { governance } from "./governance";',
        "",
        "const app = new App();",
        'const stack = new TerraformStack(app, "imported");',
        'governance(stack, new ImmutaProvider(stack, "immuta"));',
        "empty(stack);",
        "",
      ].join("\n"),
    );
    const modules = join(REPO, "node_modules");
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: join(REPO, "tsconfig.json"),
        compilerOptions: {
          // The package as tsconfig.json maps it, and its peers from this repository.
          paths: {
            "cdktf-immuta": [join(REPO, "src", "index.ts")],
            cdktf: [join(modules, "cdktf")],
            constructs: [join(modules, "constructs")],
          },
          typeRoots: [join(modules, "@types")],
          types: ["node"],
        },
        include: [],
        files: ["governance.ts", "empty.ts", "main.ts"],
      }),
    );
    const tsc = spawnSync(
      process.execPath,
      [join(modules, "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")],
      { encoding: "utf8", cwd: dir },
    );
    expect(tsc.error).toBeUndefined();
    // Only the generated files are judged here: the package's own sources have their own check
    // (npm run typecheck), and other work may be under way in them.
    const ours = tsc.stdout
      .split("\n")
      .filter((line) => /^(governance|empty|main)\.ts\(/.test(line));
    expect(ours).toEqual([]);
    expect(tsc.status === 0 || /error TS\d+/.test(tsc.stdout)).toBe(true);
  });
});
