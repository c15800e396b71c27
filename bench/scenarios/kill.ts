/**
 * The kill matrix (C15, docs/convergence.md): deploys of a 20-object stack on the create, update
 * and delete paths, their whole process group killed with SIGKILL at a random moment (seeded),
 * each followed by what the README says to do after a killed deploy, `immuta-v2 drift --fix`,
 * and one plain deploy. A run converged when, after it, Immuta holds exactly the code (every
 * object's dry run answers "no change", no other key is left) and `terraform plan
 * -detailed-exitcode` exits 0. Every request is delayed, so that a kill often lands while one is
 * in flight.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { blockInstances } from "../../src/layout/instances";
import type * as Server from "../../src/server";
import { childScript, mustRun, timed } from "../lib/processes";
import { catalogFor } from "../lib/payloads";
import { progress } from "../lib/progress";
import { CLI_BIN, LIB_INDEX } from "../lib/repo";
import type { Row, Scenario } from "../lib/scenario";
import { withTempDir } from "../lib/temp";
import { apply, init, terraformEnv } from "../lib/terraform";

const API_KEY = "bench-kill-key";
const TERRAFORM = process.env.TERRAFORM_BINARY_NAME || "terraform";
const PATHS = { create: ["none", "v1"], update: ["v1", "v2"], delete: ["v1", "v3"] } as const;
type Path = keyof typeof PATHS;

/** A small seeded generator (mulberry32): the same seed, the same kill moments. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A server holding every POST and DELETE a while: kills often land with one in flight. */
function heldServer(startServer: typeof Server.startServer) {
  return startServer({
    apiKeys: [{ key: API_KEY }],
    catalog: catalogFor(5),
    faults: [
      { method: "POST", delayMs: 250 },
      { method: "DELETE", delayMs: 250 },
    ],
  });
}

const stackOf = (root: string) => join(root, "stacks", "governance");

/** Puts version `version`'s synthesized files (synthesized under `dir`) into `stack`. */
function use(dir: string, version: string, stack: string): void {
  mkdirSync(stack, { recursive: true });
  for (const f of ["cdk.tf.json", "immuta-upgrade.tf.json", "payloads"]) {
    const source = join(stackOf(join(dir, version)), f);
    if (existsSync(source)) cpSync(source, join(stack, f), { recursive: true, force: true });
  }
}

/** Deploys `from` (unless "none") into `stack`, then puts `to` there, initialised. */
async function prepare(
  dir: string,
  stack: string,
  from: string,
  to: string,
  env: NodeJS.ProcessEnv,
) {
  if (from !== "none") {
    use(dir, from, stack);
    await init(stack, env);
    await apply(stack, env);
  }
  use(dir, to, stack);
  if (from === "none") await init(stack, env);
}

interface Outcome {
  readonly path: Path;
  readonly killAtMs: number;
  readonly converged: boolean;
  readonly why?: string;
}

export const kill: Scenario = {
  name: "kill",
  summary: "SIGKILL of a deploy's process group at random moments, then one plain deploy (C15)",
  needsBuild: true,
  run: ({ quick }) =>
    withTempDir("kill", async (dir) => {
      const { startServer } = require(LIB_INDEX) as typeof Server;
      // Synthesized once per version, copied into each run's stack directory (same depth, so
      // the relative path to the CLI holds).
      for (const version of ["v1", "v2", "v3"]) {
        const child = childScript("synth-kill", [join(dir, version), version]);
        await mustRun(child.command, child.args);
      }
      const runs = quick ? 6 : Number(process.env.IMMUTA_KILL_RUNS ?? 36);
      const rng = random(Number(process.env.IMMUTA_KILL_SEED ?? 20261201));
      const outcomes: Outcome[] = [];
      let restored = 0;
      const durations: Partial<Record<Path, number>> = {};
      for (let run = 0; run < runs; run++) {
        const path = (Object.keys(PATHS) as Path[])[run % 3];
        const [from, to] = PATHS[path];
        const server = await heldServer(startServer);
        const env = terraformEnv({
          IMMUTA_URL: server.url,
          IMMUTA_API_KEY: API_KEY,
          DWH_PASSWORD: "pw",
        });
        const root = join(dir, `run-${run}`);
        const stack = stackOf(root);
        try {
          await prepare(dir, stack, from, to, env);
          // How long the path takes unkilled, measured on its first run; kills land within it.
          durations[path] ??= await timeApply(env, dir, from, to, startServer);
          const killAtMs = Math.round(200 + rng() * (durations[path]! - 200));
          await killedApply(stack, env, killAtMs);
          const fix = await timed(
            process.execPath,
            [CLI_BIN, "drift", "--stack-dir", ".", "--fix"],
            {
              cwd: stack,
              env,
            },
          );
          if (/state file was empty/.test(fix.stdout)) restored++;
          const recovered = await timed(
            TERRAFORM,
            ["apply", "-auto-approve", "-input=false", "-no-color"],
            { cwd: stack, env },
          );
          const plan = await timed(
            TERRAFORM,
            ["plan", "-detailed-exitcode", "-input=false", "-no-color"],
            { cwd: stack, env },
          );
          const why =
            recovered.code !== 0
              ? `the plain deploy failed: ${failureOf(`${recovered.stdout}\n${recovered.stderr}`)}`
              : plan.code !== 0
                ? `plan -detailed-exitcode exited ${plan.code}`
                : await mismatch(server, stack);
          outcomes.push({ path, killAtMs, converged: why === undefined, why });
          progress(
            `kill: run ${run + 1}/${runs} (${path}, killed at ${killAtMs} ms): ${why ?? "converged"}`,
          );
        } finally {
          await server.close();
        }
      }
      const converged = outcomes.filter((o) => o.converged).length;
      const row: Row = {
        scenario: "kill",
        measure: `runs converged after SIGKILL + one plain deploy (create, update, delete paths)`,
        unit: "runs",
        ours: converged,
        baseline: outcomes.length,
        ratio: converged / outcomes.length,
        target: { min: 1 },
        requirement: { met: converged === outcomes.length, text: "all converge" },
        samples: { ours: [converged], baseline: [outcomes.length] },
        notes: [
          `unkilled durations (ms): ${JSON.stringify(durations)}`,
          `runs whose kill left the local state file empty (drift --fix restored its backup): ${restored}`,
          ...outcomes
            .filter((o) => !o.converged)
            .map((o) => `${o.path} at ${o.killAtMs} ms: ${o.why}`),
        ],
      };
      return [row];
    }),
};

/** The path's apply, unkilled, on a scratch copy with its own server. */
async function timeApply(
  env: NodeJS.ProcessEnv,
  dir: string,
  from: string,
  to: string,
  startServer: typeof Server.startServer,
): Promise<number> {
  const server = await heldServer(startServer);
  try {
    const scratch = stackOf(join(dir, `timing-${from}-${to}`));
    const scratchEnv = { ...env, IMMUTA_URL: server.url };
    await prepare(dir, scratch, from, to, scratchEnv);
    return (await apply(scratch, scratchEnv)).ms;
  } finally {
    await server.close();
  }
}

/** `terraform apply` in a process group of its own, killed whole after `ms`. */
function killedApply(stack: string, env: NodeJS.ProcessEnv, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(TERRAFORM, ["apply", "-auto-approve", "-input=false", "-no-color"], {
      cwd: stack,
      env,
      detached: true,
      stdio: "ignore",
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // It finished before the kill: a run like any other.
      }
    }, ms);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** What Immuta holds that the code does not (or the reverse); undefined when they agree. */
async function mismatch(server: Server.RunningServer, stack: string): Promise<string | undefined> {
  const config = JSON.parse(readFileSync(join(stack, "cdk.tf.json"), "utf8")) as {
    locals?: Record<string, unknown>;
    resource: Record<string, Record<string, { for_each?: unknown }>>;
  };
  const headers = { authorization: API_KEY, "content-type": "application/json" };
  for (const kind of ["purpose", "data", "policy", "project"]) {
    const block = config.resource.terraform_data[`immuta_${kind}`];
    const declared = Object.entries(block ? blockInstances<{ p: string }>(config, block) : {});
    const held = (await (
      await fetch(`${server.url}/api/v2/${kind}`, { headers })
    ).json()) as string[];
    const keys = declared.map(([k]) => k).sort();
    if (JSON.stringify([...held].sort()) !== JSON.stringify(keys)) {
      return `${kind}: Immuta holds ${JSON.stringify(held)}, the code declares ${JSON.stringify(keys)}`;
    }
    for (const [key, { p }] of declared) {
      const payload = p.replace(/\{"\$env":"DWH_PASSWORD"\}/g, '"pw"');
      const answer = (await (
        await fetch(`${server.url}/api/v2/${kind}?dryRun=true`, {
          method: "POST",
          headers,
          body: payload,
        })
      ).json()) as {
        creating: unknown;
        updating: unknown;
        deleting?: unknown[];
        disabling?: unknown[];
      };
      const changes = [answer.creating, answer.updating, answer.deleting, answer.disabling].some(
        (v) => (Array.isArray(v) ? v.length > 0 : v === true),
      );
      if (changes)
        return `${kind} "${key}": Immuta differs from the code (${JSON.stringify(answer)})`;
    }
  }
  return undefined;
}

/** What a failed deploy's output says went wrong: its error lines, not its tail. */
function failureOf(output: string): string {
  const lines = output.split("\n").filter((l) => /Error|error:|failed with|refused/.test(l));
  return lines.slice(0, 6).join(" | ").slice(0, 1200) || output.slice(-600);
}
