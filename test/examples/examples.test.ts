/**
 * Each example synthesizes with its own code (`tsx main.ts`, as its cdktf.json says) and deploys
 * with real terraform against the embedded server; a second deploy changes nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer } from "../../src/server";
import { REPO, run, terraform, terraformEnv } from "../e2e/terraform";

jest.setTimeout(180_000);

const API_KEY = "examples-key";

async function deployExample(name: string, stackName: string) {
  const server = await startServer({ apiKeys: [{ key: API_KEY }] });
  const outdir = mkdtempSync(join(tmpdir(), `example-${name}-`));
  const env = terraformEnv({
    IMMUTA_URL: server.url,
    IMMUTA_API_KEY: API_KEY,
    DWH_PASSWORD: "example-password",
  });
  const synth = await run(join(REPO, "node_modules", ".bin", "tsx"), ["main.ts"], {
    cwd: join(REPO, "examples", name),
    env: { ...process.env, CDKTF_OUTDIR: outdir },
  });
  if (synth.code !== 0) throw new Error(`synth of ${name} failed:\n${synth.output}`);
  const dir = join(outdir, "stacks", stackName);
  const tf = (...args: string[]) => terraform([...args, "-no-color"], dir, env);
  expect((await tf("init", "-input=false")).code).toBe(0);
  return {
    server,
    tf,
    async apply() {
      const applied = await tf("apply", "-auto-approve", "-input=false");
      if (applied.code !== 0) throw new Error(`apply of ${name} failed:\n${applied.output}`);
      return applied;
    },
    /** C2: the plan is empty (`-detailed-exitcode` 0), and a deploy sends Immuta nothing. */
    async expectNoChange() {
      const before = server.requests().length;
      const plan = await tf("plan", "-detailed-exitcode", "-input=false");
      expect(plan.code).toBe(0);
      await this.apply();
      expect(server.requests().slice(before)).toEqual([]);
    },
    async get(kind: string, key: string) {
      const response = await fetch(`${server.url}/api/v2/${kind}/${encodeURIComponent(key)}`, {
        headers: { authorization: API_KEY },
      });
      return (await response.json()) as Record<string, unknown>;
    },
    async close() {
      await server.close();
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}

/** What changed Immuta: every request but reads and dry runs, sorted. */
function mutations(server: RunningServer): string[] {
  return server
    .requests()
    .filter((r) => r.method !== "GET" && r.query.dryRun !== "true")
    .map((r) => `${r.method} ${r.kind} ${r.key} ${r.status}`)
    .sort();
}

/**
 * The guard's questions before a first deploy: does Immuta already hold a key this stack never
 * managed? (a dry-run DELETE: 404, it does not)
 */
function ownershipChecks(server: RunningServer): string[] {
  return server
    .requests()
    .filter((r) => r.query.dryRun === "true")
    .map((r) => `${r.method} ${r.kind} ${r.key} ${r.status}`)
    .sort();
}

/** The dry runs a first deploy's guard makes for the objects whose POSTs are `calls`. */
const checksFor = (calls: readonly string[]) =>
  calls.map((call) => call.replace(/^POST (.*) 200$/, "DELETE $1 404")).sort();

const QUICKSTART_CALLS = [
  "POST data acme-warehouse 200",
  "POST policy analysts-subscribe 200",
  "POST policy mask-pii 200",
  "POST project fraud-analysis 200",
  "POST purpose Marketing 200",
  "POST purpose Research 200",
];

describe("examples", () => {
  it.each([
    ["quickstart", "quickstart"],
    ["from-files", "from-files"],
  ])("%s deploys its governance, then a second deploy changes nothing", async (name, stack) => {
    const example = await deployExample(name, stack);
    try {
      await example.apply();
      expect(mutations(example.server)).toEqual(QUICKSTART_CALLS);
      expect(ownershipChecks(example.server)).toEqual(checksFor(QUICKSTART_CALLS));
      expect(await example.get("project", "fraud-analysis")).toMatchObject({
        purposes: ["Research.Fraud"],
        datasources: ["public.orders", "public.payments"],
      });
      await example.expectNoChange();
    } finally {
      await example.close();
    }
  });

  it("composition takes a value from another resource, visibly in the plan, then a second deploy changes nothing", async () => {
    const example = await deployExample("composition", "composition");
    try {
      const plan = await example.tf("plan", "-input=false");
      expect(plan.output).toMatch(/terraform_data\.database will be created/);
      expect(plan.output).toMatch(/hostname\s+= \(known after apply\)/);
      await example.apply();
      expect(await example.get("data", "internal-warehouse")).toMatchObject({
        connection: { hostname: "dwh.internal.example" },
      });
      const calls = [
        "POST data internal-warehouse 200",
        "POST project analytics 200",
        "POST purpose Research 200",
      ];
      expect(mutations(example.server)).toEqual(calls);
      expect(ownershipChecks(example.server)).toEqual(checksFor(calls));
      await example.expectNoChange();
    } finally {
      await example.close();
    }
  });
});
