/**
 * A team's tenant (issue 16.3): ten stacks of 500 objects each (125 per kind, keys of their own),
 * deployed at once by ten `terraform apply` processes against one embedded server (in this
 * process), against one such stack deployed alone. Reports the wall time, the server's requests,
 * and peak memory: the server's process, and all Terraform processes with their steps together.
 *
 * The state is local (one directory per stack), or in PostgreSQL when IMMUTA_BENCH_PG_CONN_STR
 * names a server: a schema per stack, each workspace created first (an empty state pushed), since
 * Terraform's pg backend creates workspaces one at a time under a database-wide lock.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type * as Server from "../../src/server";
import { catalogFor } from "../lib/payloads";
import { mustRun, timed, type Finished } from "../lib/processes";
import { progress } from "../lib/progress";
import { LIB_INDEX, REPO } from "../lib/repo";
import { row, type Scenario } from "../lib/scenario";
import { median } from "../lib/stats";
import { withTempDir } from "../lib/temp";
import { init, terraform, terraformEnv } from "../lib/terraform";

const STACKS = 10;
const OBJECTS = 500;
const PER_KIND = OBJECTS / 4;
const API_KEY = "bench-stacks-key";
const PG_ENV = "IMMUTA_BENCH_PG_CONN_STR";

/**
 * Synthesizes `stacks` stacks in one app, in a child process (so that this process holds the
 * server alone): stack s holds objects s * 125 ... s * 125 + 124 of each kind, built as
 * bench/lib/governance.ts builds them (each project naming a sub-purpose and two tables).
 */
const SYNTH = `
const [outdir, count, pg] = process.argv.slice(1);
const cdktf = require(${JSON.stringify(join(REPO, "node_modules", "cdktf"))});
const lib = require(${JSON.stringify(LIB_INDEX)});
const p = require(${JSON.stringify(join(REPO, "bench", "lib", "payloads.ts"))});
const backends = pg ? JSON.parse(pg) : undefined;
const app = new cdktf.App({ outdir });
for (let s = 0; s < Number(count); s++) {
  const stack = new cdktf.TerraformStack(app, "team-" + s);
  if (backends) new cdktf.PgBackend(stack, backends[s]);
  else new cdktf.LocalBackend(stack, { path: "terraform.tfstate" });
  new lib.ImmutaProvider(stack, "immuta");
  for (let i = s * ${PER_KIND}; i < (s + 1) * ${PER_KIND}; i++) {
    const purpose = new lib.Purpose(stack, "purpose-" + i, p.purposePayload(i));
    const warehouse = new lib.DataSource(stack, "warehouse-" + i, p.dataSourcePayload(i));
    new lib.GlobalPolicy(stack, "policy-" + i, p.policyPayload(i));
    new lib.Project(stack, "project-" + i, {
      ...p.projectPayload(i),
      purposes: [purpose.subpurpose("Fraud")],
      datasources: [
        warehouse.dataSourceName("public", "orders"),
        warehouse.dataSourceName("public", "payments"),
      ],
    });
  }
}
app.synth();
`;

interface Deployed {
  readonly ms: number;
  readonly requests: number;
  readonly posts: number;
  /** Resident memory of this process before it started the server, in bytes. */
  readonly serverBefore: number;
  /** Peak resident memory of this process, which runs the server, in bytes. */
  readonly serverPeak: number;
  /** The requests, counted by `METHOD status` (`POST? 200` for a dry run). */
  readonly breakdown: string;
  /** Peak resident memory of all Terraform processes and their steps at one moment, in bytes. */
  readonly terraformPeak: number;
  /** Peak resident memory of the Terraform processes alone, together, in bytes. */
  readonly terraformOnlyPeak: number;
  /** Peak resident memory of the steps (the CLI processes) alone, together, in bytes. */
  readonly stepsPeak: number;
  /** The most steps running at one moment. */
  readonly stepsMost: number;
  /** Peak resident memory of the largest single Terraform process, in bytes. */
  readonly terraformLargest: number;
}

/** Resident set sizes of this process's descendants, by pid, with their command names. */
function descendants(): { pid: number; name: string; rss: number }[] {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      names.set(Number(entry), stat.slice(stat.indexOf("(") + 1, close));
      parents.set(Number(entry), Number(stat.slice(close + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const mine = new Set([process.pid]);
  let grown = true;
  while (grown) {
    grown = false;
    for (const [pid, parent] of parents) {
      if (!mine.has(pid) && mine.has(parent)) {
        mine.add(pid);
        grown = true;
      }
    }
  }
  mine.delete(process.pid);
  return [...mine].flatMap((pid) => {
    const rss = residentBytes(pid, "VmRSS");
    return rss === undefined ? [] : [{ pid, name: names.get(pid) ?? "", rss }];
  });
}

function residentBytes(pid: number | "self", field: "VmRSS" | "VmHWM"): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** Samples memory every 250 ms until stopped: the server (this process) and the deploys. */
function sampleMemory() {
  const peak = {
    serverPeak: residentBytes("self", "VmRSS") ?? 0,
    terraformPeak: 0,
    terraformOnlyPeak: 0,
    stepsPeak: 0,
    stepsMost: 0,
    terraformLargest: 0,
  };
  const sum = (list: { rss: number }[]) => list.reduce((n, p) => n + p.rss, 0);
  const sample = () => {
    peak.serverPeak = Math.max(peak.serverPeak, residentBytes("self", "VmRSS") ?? 0);
    const all = descendants();
    const engines = all.filter((d) => d.name === "terraform");
    const steps = all.filter((d) => d.name !== "terraform");
    peak.terraformPeak = Math.max(peak.terraformPeak, sum(all));
    peak.terraformOnlyPeak = Math.max(peak.terraformOnlyPeak, sum(engines));
    peak.stepsPeak = Math.max(peak.stepsPeak, sum(steps));
    peak.stepsMost = Math.max(peak.stepsMost, steps.length);
    for (const p of engines) {
      peak.terraformLargest = Math.max(
        peak.terraformLargest,
        residentBytes(p.pid, "VmHWM") ?? p.rss,
      );
    }
  };
  const timer = setInterval(sample, 250);
  return () => {
    clearInterval(timer);
    sample();
    return peak;
  };
}

/** Synthesizes and initializes `stacks` stacks; returns their directories. */
async function prepare(dir: string, stacks: number, pg: string | undefined): Promise<string[]> {
  const backends = pg
    ? Array.from({ length: stacks }, (_, s) => ({
        connStr: pg,
        schemaName: `immuta_bench_${s}_${randomBytes(4).toString("hex")}`,
      }))
    : undefined;
  const tsx = require.resolve("tsx/cjs");
  await mustRun(process.execPath, [
    "--require",
    tsx,
    "-e",
    SYNTH,
    join(dir, "out"),
    String(stacks),
    backends ? JSON.stringify(backends) : "",
  ]);
  const dirs = Array.from({ length: stacks }, (_, s) => join(dir, "out", "stacks", `team-${s}`));
  for (const stackDir of dirs) {
    await init(stackDir, terraformEnv());
    if (pg) {
      const empty = { version: 4, serial: 1, lineage: randomUUID(), outputs: {}, resources: [] };
      writeFileSync(join(stackDir, "empty.tfstate"), JSON.stringify(empty));
      await terraform(["state", "push", "empty.tfstate"], stackDir, terraformEnv());
    }
  }
  return dirs;
}

async function deployAll(dirs: readonly string[]): Promise<Deployed> {
  const { startServer } = require(LIB_INDEX) as typeof Server;
  const serverBefore = residentBytes("self", "VmRSS") ?? 0;
  const server = await startServer({
    catalog: catalogFor(STACKS * PER_KIND),
    apiKeys: [{ key: API_KEY }],
    requestLogLimit: 1_000_000,
  });
  try {
    const env = terraformEnv({
      IMMUTA_URL: server.url,
      IMMUTA_API_KEY: API_KEY,
      DWH_PASSWORD: "bench",
    });
    const binary = process.env.TERRAFORM_BINARY_NAME || "terraform";
    const stop = sampleMemory();
    const start = performance.now();
    const results: Finished[] = await Promise.all(
      dirs.map((cwd) =>
        timed(
          binary,
          ["apply", "-auto-approve", "-input=false", "-no-color", "-lock-timeout=600s"],
          {
            cwd,
            env,
          },
        ),
      ),
    );
    const ms = performance.now() - start;
    const memory = stop();
    const failed = results.find((r) => r.code !== 0);
    if (failed)
      throw new Error(
        `terraform apply failed:\n${`${failed.stdout}\n${failed.stderr}`.slice(-4000)}`,
      );
    const requests = server.requests();
    const counts = new Map<string, number>();
    for (const r of requests) {
      const call = `${r.method}${r.query.dryRun === "true" ? "?" : ""} ${r.status}`;
      counts.set(call, (counts.get(call) ?? 0) + 1);
    }
    return {
      ms,
      requests: requests.length,
      breakdown: [...counts]
        .sort()
        .map(([call, n]) => `${call}: ${n}`)
        .join(", "),
      posts: requests.filter((r) => r.method === "POST" && r.query.dryRun !== "true").length,
      serverBefore,
      ...memory,
    };
  } finally {
    await server.close();
  }
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

function memoryText(d: Deployed): string {
  return (
    `server process ${mb(d.serverPeak)} (the bench's own; ${mb(d.serverBefore)} before the server ` +
    `started), Terraform processes and their steps together ${mb(d.terraformPeak)} (Terraform ` +
    `${mb(d.terraformOnlyPeak)}, largest ${mb(d.terraformLargest)}; steps ${mb(d.stepsPeak)}, at ` +
    `most ${d.stepsMost} at once)`
  );
}

export const stacks: Scenario = {
  name: "stacks",
  summary: "10 stacks x 500 objects deployed at once to one server vs one such stack alone",
  needsBuild: true,
  async run() {
    const pg = process.env[PG_ENV] || undefined;
    const backend = pg ? "state in PostgreSQL" : "local state";
    const alone = await withTempDir("stacks-one", async (dir) => {
      const dirs = await prepare(dir, 1, pg);
      progress(`stacks: one stack of ${OBJECTS} objects synthesized, deploying it alone`);
      return deployAll(dirs);
    });
    progress(`stacks: alone in ${(alone.ms / 1000).toFixed(1)} s; now ${STACKS} at once`);
    const all = await withTempDir(
      "stacks-ten",
      async (dir) => {
        const dirs = await prepare(dir, STACKS, pg);
        progress(
          `stacks: ${STACKS} stacks of ${OBJECTS} objects synthesized, deploying them at once`,
        );
        return deployAll(dirs);
      },
      { removeInBackground: true },
    );
    const expectedPosts = STACKS * OBJECTS;
    return [
      row(
        {
          scenario: "stacks",
          measure: `${STACKS} stacks x ${OBJECTS} objects at once vs 1 stack alone (${backend})`,
          unit: "ms",
          requirement: { met: all.posts === expectedPosts, text: `${expectedPosts} POSTs` },
          samples: { ours: [all.ms], baseline: [alone.ms] },
          notes: [
            `${STACKS} stacks: ${all.requests} requests (${all.breakdown}; "?" a dry run), ` +
              `${((all.posts / all.ms) * 1000).toFixed(1)} objects/s`,
            `1 stack: ${alone.requests} requests (${alone.breakdown}), ` +
              `${((alone.posts / alone.ms) * 1000).toFixed(1)} objects/s`,
            ...[
              [`${STACKS} stacks`, all],
              ["1 stack", alone],
            ].map(([label, d]) => `peak memory, ${label as string}: ${memoryText(d as Deployed)}`),
          ],
        },
        median,
      ),
    ];
  },
};
