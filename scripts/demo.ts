/**
 * `npm run demo`: deploys examples/quickstart with a real `cdktf deploy` to the embedded V2 API
 * server, shows what Immuta now holds, deploys again to show that nothing changes, and stops.
 * Everything it writes (server data, synthesized stack, Terraform state) lives in a temporary
 * directory, so each run starts as fresh as the first and leaves nothing behind.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { colors } from "../src/cli/io";
import { startServer, type RunningServer } from "../src/server";
import { describeHoldings } from "./demo-holdings";

const REPO = join(__dirname, "..");
const EXAMPLE = join(REPO, "examples", "quickstart");
const API_KEY = "demo-api-key";

const { bold } = colors(process.stdout, process.env);
const step = (n: number, text: string) => console.log(`\n${bold(`[${n}/4] ${text}`)}`);

function cdktfDeploy(outdir: string, env: NodeJS.ProcessEnv): Promise<number> {
  const cdktf = join(REPO, "node_modules", ".bin", "cdktf");
  return new Promise((resolve, reject) => {
    const child = spawn(cdktf, ["deploy", "--auto-approve", "--output", outdir], {
      cwd: EXAMPLE,
      env,
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/**
 * NO_COLOR (https://no-color.org), passed on: cdktf paints through chalk (FORCE_COLOR=0), and
 * Terraform takes `-no-color` from TF_CLI_ARGS_<command> for each command cdktf runs.
 */
function noColor(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { FORCE_COLOR: "0" };
  for (const command of ["init", "plan", "apply", "output", "show", "destroy"]) {
    env[`TF_CLI_ARGS_${command}`] = "-no-color";
  }
  return env;
}

async function main(): Promise<number> {
  const started = Date.now();
  if (!existsSync(join(REPO, "lib", "src", "cli", "main.js"))) {
    console.error("demo: the CLI is not built; run `npm ci` (which builds it) or `npm run build`");
    return 1;
  }
  const work = mkdtempSync(join(tmpdir(), "cdktf-immuta-demo-"));
  let server: RunningServer | undefined;
  try {
    step(1, "Starting the embedded Immuta V2 API server");
    server = await startServer({ dataDir: join(work, "immuta"), apiKeys: [{ key: API_KEY }] });
    console.log(`listening on ${server.url} (its data in ${join(work, "immuta")})`);

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      IMMUTA_URL: server.url,
      IMMUTA_API_KEY: API_KEY,
      // The quickstart's connection password, a secret placeholder resolved at apply time.
      DWH_PASSWORD: "demo-password",
      TF_CLI_CONFIG_FILE: join(REPO, "test", "terraformrc"),
      CHECKPOINT_DISABLE: "1",
      CI: "1",
      ...(process.env.NO_COLOR ? noColor() : {}),
    };
    const outdir = join(work, "cdktf.out");

    step(2, "cdktf deploy examples/quickstart (first deploy: every object is created)");
    if ((await cdktfDeploy(outdir, env)) !== 0) return fail("the first deploy failed (see above)");
    const firstDeploy = server.requests();

    step(3, "What Immuta now holds");
    for (const line of await describeHoldings(server.url, API_KEY)) console.log(`  ${line}`);
    console.log(`  (${firstDeploy.length} requests: ${summarize(firstDeploy)})`);

    step(4, "cdktf deploy again, with nothing changed");
    const before = server.requests().length;
    if ((await cdktfDeploy(outdir, env)) !== 0) return fail("the second deploy failed (see above)");
    const second = server.requests().slice(before);
    console.log(
      second.length === 0
        ? bold("No change: the second deploy sent no request to Immuta.")
        : `The second deploy sent ${second.length} requests: ${summarize(second)}`,
    );

    console.log(`
Done in ${Math.round((Date.now() - started) / 1000)} s. To deploy the same stack to a real tenant:

  cd examples/quickstart
  IMMUTA_URL=https://your-tenant.immuta.example IMMUTA_API_KEY=<your key> \\
    DWH_PASSWORD=<the warehouse password> npx cdktf deploy
`);
    return second.length === 0 ? 0 : 1;
  } finally {
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * `2 × POST purpose, ...`; the guard's dry-run DELETEs (does Immuta already hold a key this stack
 * never managed?) are counted apart, as they change nothing.
 */
function summarize(
  requests: readonly { method: string; kind?: string; query: Readonly<Record<string, string>> }[],
): string {
  const counts = new Map<string, number>();
  const dryRuns = requests.filter((r) => r.query.dryRun === "true").length;
  for (const r of requests) {
    if (r.query.dryRun === "true") continue;
    const label = `${r.method} ${r.kind ?? "?"}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const parts = [...counts].map(([label, n]) => `${n} × ${label}`);
  if (dryRuns > 0) {
    parts.push(`${dryRuns} dry runs (the guard asking whether Immuta already holds each new key)`);
  }
  return parts.join(", ") || "none";
}

function fail(message: string): number {
  console.error(`demo: ${message}`);
  return 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(`demo: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  },
);
