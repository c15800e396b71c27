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

function mutations(server: RunningServer): string[] {
  return server
    .requests()
    .filter((r) => r.method !== "GET")
    .map((r) => `${r.method} ${r.kind} ${r.key} ${r.status}`)
    .sort();
}

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
      expect(await example.get("project", "fraud-analysis")).toMatchObject({
        purposes: ["Research.Fraud"],
        datasources: ["public.orders", "public.payments"],
      });
      const before = example.server.requests().length;
      await example.apply();
      expect(example.server.requests().length).toBe(before);
    } finally {
      await example.close();
    }
  });

  it("composition takes a value from another resource, visibly in the plan", async () => {
    const example = await deployExample("composition", "composition");
    try {
      const plan = await example.tf("plan", "-input=false");
      expect(plan.output).toMatch(/terraform_data\.database will be created/);
      expect(plan.output).toMatch(/hostname\s+= \(known after apply\)/);
      await example.apply();
      expect(await example.get("data", "internal-warehouse")).toMatchObject({
        connection: { hostname: "dwh.internal.example" },
      });
      expect(mutations(example.server)).toEqual([
        "POST data internal-warehouse 200",
        "POST project analytics 200",
        "POST purpose Research 200",
      ]);
    } finally {
      await example.close();
    }
  });
});
