/**
 * Adopting a tenant (issue 15): what `immuta-v2 import` writes from a tenant holding every
 * documented example, the hard cases and a 500-object generated tenant, synthesized and deployed
 * with real Terraform, changes nothing in Immuta; the next plan is empty.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TerraformStack } from "cdktf";
import { PayloadDirectory, type ImmutaProvider } from "../../src";
import type { RunningServer } from "../../src/server";
import { cli } from "../cli/harness";
import {
  API_KEY,
  EDGE_CASES,
  documentedExamples,
  generatedTenant,
  secretEnvironment,
  tempDir,
  tenant,
  type ListedSecret,
  type Tenant,
} from "../import/support";
import { GovernanceStack } from "./harness";

jest.setTimeout(600_000);

const GENERATED = 500;
const SRC = join(__dirname, "..", "..", "src");

/** Everything the server holds, as GET shows it (updatedAt included): what a change would move. */
async function holdings(server: RunningServer): Promise<Record<string, string>> {
  const headers = { authorization: API_KEY };
  const all: Record<string, string> = {};
  for (const kind of ["purpose", "data", "policy", "project"]) {
    const keys = (await (
      await fetch(`${server.url}/api/v2/${kind}`, { headers })
    ).json()) as string[];
    for (const key of keys) {
      const url = `${server.url}/api/v2/${kind}/${encodeURIComponent(key)}`;
      all[`${kind}/${key}`] = await (await fetch(url, { headers })).text();
    }
  }
  return all;
}

/** The objects whose GET differs between two holdings, each with both versions. */
function changed(before: Record<string, string>, after: Record<string, string>) {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => before[key] !== after[key])
    .map((key) => ({ key, before: before[key], after: after[key] }));
}

describe("adopting a tenant with immuta-v2 import", () => {
  // The files format cannot carry a project's deleteDataSourcesOnWorkspaceDelete (a query flag):
  // the one object it does not round-trip, said by import itself; left out here.
  const seeded = [
    ...documentedExamples(),
    ...EDGE_CASES.filter((s) => !(s.query && "deleteDataSourcesOnWorkspaceDelete" in s.query)),
    ...generatedTenant(GENERATED),
  ];
  let from: Tenant;
  let stack: GovernanceStack | undefined;
  beforeEach(async () => {
    from = await tenant(seeded, GENERATED);
  });
  afterEach(async () => {
    await stack?.close();
    await from.close();
  });

  async function importAs(format: "files" | "ts") {
    const out = tempDir();
    const result = await cli(
      ["import", "--from", from.server.url, "--out", out, "--format", format, "--json"],
      { onlyEnv: { IMMUTA_API_KEY: API_KEY } },
    );
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const report = JSON.parse(result.stdout) as { secrets: ListedSecret[] };
    return { out, env: secretEnvironment(report.secrets, seeded) };
  }

  async function deployUnchanged(
    build: (s: TerraformStack, p: ImmutaProvider) => void,
    env: NodeJS.ProcessEnv,
  ) {
    stack = GovernanceStack.on(from.server);
    stack.env = { ...env, IMMUTA_API_KEY: API_KEY };
    stack.synth(build);
    const before = await holdings(from.server);
    await stack.apply();
    // (Reading holdings back is the test's own GETs.)
    const sent = stack.newRequests().filter((r) => r.method !== "GET");
    // One POST per object, and Immuta answered each with no change: nothing it holds moved.
    expect(sent.filter((r) => r.method === "POST" && r.status === 200).length).toBeGreaterThan(
      GENERATED,
    );
    expect(sent.filter((r) => r.method !== "POST" || r.status !== 200)).toEqual([]);
    expect(changed(before, await holdings(from.server))).toEqual([]);
    await stack.apply();
    expect(stack.newRequests().filter((r) => r.method !== "GET")).toEqual([]);
    const plan = await stack.terraform("plan", "-detailed-exitcode", "-input=false");
    expect(plan.code).toBe(0);
  }

  it("--format files, through PayloadDirectory with adopt: true", async () => {
    const { out, env } = await importAs("files");
    await deployUnchanged(
      (s) => new PayloadDirectory(s, "governance", { path: out, adopt: true }),
      env,
    );
  });

  it("--format ts: the generated module, which adopts each object", async () => {
    const { out, env } = await importAs("ts");
    const module = join(out, "governance.ts");
    // The module imports "cdktf-immuta": this repository's sources here.
    writeFileSync(
      module,
      readFileSync(module, "utf8").replace(/from "cdktf-immuta";/, `from ${JSON.stringify(SRC)};`),
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module written at run time
    const { governance } = require(module) as {
      governance: (scope: TerraformStack, provider?: ImmutaProvider) => void;
    };
    await deployUnchanged((s, provider) => governance(s, provider), env);
  });
});
