/**
 * Proof that adoption changes nothing, short of Terraform: a tenant holding every documented
 * example, a 500-object generated tenant and the hard cases is imported both ways; what import
 * wrote is built into constructs as a deploy builds them, and each object is POSTed back with
 * `dryRun=true`. The tenant must report no change at all.
 */
import { join } from "node:path";
import type { Kind } from "../../src/payload/kinds";
import { cli } from "../cli/harness";
import {
  API_KEY,
  EDGE_CASES,
  deployFiles,
  deployModule,
  documentedExamples,
  dryRunChanges,
  generatedTenant,
  secretEnvironment,
  tempDir,
  tenant,
  type ListedSecret,
  type Tenant,
} from "./support";

const GENERATED = 500;
// 500 objects imported, built into constructs and POSTed back, twice: far from a unit test's 5 s.
jest.setTimeout(120_000);
const KEY_FIELD: Record<Kind, string> = {
  data: "connectionKey",
  policy: "policyKey",
  project: "projectKey",
  purpose: "name",
};

async function importTenant(from: Tenant, format: "files" | "ts") {
  const out = tempDir();
  const result = await cli(
    ["import", "--from", from.server.url, "--out", out, "--format", format, "--json"],
    { onlyEnv: { IMMUTA_API_KEY: API_KEY } },
  );
  expect(result).toMatchObject({ code: 0, stderr: "" });
  const report = JSON.parse(result.stdout) as { secrets: ListedSecret[]; objects: unknown[] };
  return { out, report };
}

describe("import round trip: the tenant reports no change for what import wrote", () => {
  const seeded = [...documentedExamples(), ...EDGE_CASES, ...generatedTenant(GENERATED)];
  const keys = [
    ...new Set(
      seeded.map((s) => `${s.kind}/${(s.payload as Record<string, string>)[KEY_FIELD[s.kind]]}`),
    ),
  ].sort();
  let from: Tenant;

  beforeAll(async () => {
    from = await tenant(seeded, GENERATED);
  });
  afterAll(() => from?.close());

  it("--format ts: every object, references, secrets and query flags included", async () => {
    const { out, report } = await importTenant(from, "ts");
    const deployed = deployModule(join(out, "governance.ts"));
    expect(deployed.map((d) => `${d.kind}/${d.key}`).sort()).toEqual(keys);
    const env = secretEnvironment(report.secrets, seeded);
    expect(await dryRunChanges(from.client, deployed, env)).toEqual([]);
  });

  it("--format files: every object, through PayloadDirectory", async () => {
    const { out, report } = await importTenant(from, "files");
    const deployed = deployFiles(out);
    expect(deployed.map((d) => `${d.kind}/${d.key}`).sort()).toEqual(keys);
    const env = secretEnvironment(report.secrets, seeded);
    const changes = await dryRunChanges(from.client, deployed, env);
    // The one exception, a query flag a payload file cannot carry, has its own test (below).
    expect(changes).toEqual([
      expect.stringMatching(/^project "customers\/ops": .*"updating":true/),
    ]);
  });

  it("keeps a project's deleteDataSourcesOnWorkspaceDelete in TypeScript; files say they cannot", async () => {
    const ts = await importTenant(from, "ts");
    const flagged = deployModule(join(ts.out, "governance.ts")).filter(
      (d) => d.key === "customers/ops",
    );
    expect(flagged).toEqual([
      expect.objectContaining({ query: { deleteDataSourcesOnWorkspaceDelete: true } }),
    ]);

    const out = tempDir();
    const result = await cli(
      ["import", "--from", from.server.url, "--out", out, "--only", "project"],
      {
        onlyEnv: { IMMUTA_API_KEY: API_KEY },
      },
    );
    expect(result.stdout).toContain(
      'deleteDataSourcesOnWorkspaceDelete is set on "customers/ops" in Immuta; payload files cannot carry it',
    );
  });
});
