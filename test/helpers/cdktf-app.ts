/**
 * A cdktf app in a directory of its own, as a team's checkout is: cdktf.json, and a main.js that
 * loads this package as users load it (lib/, built) with its state in PostgreSQL. Deployed by the
 * real `cdktf deploy`, in a process group of its own, so that the test can stop all of it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../e2e/terraform";

export interface AppStack {
  /** The stack's name (its directory under cdktf.out/stacks). */
  readonly name: string;
  /** The state's schema in PostgreSQL: stacks given one schema share a state. */
  readonly schema: string;
  /** JavaScript building the stack's objects, with `lib` (this package) and `stack` in scope. */
  readonly body: string;
}

/** Writes the app into `dir`; each stack keeps its state in PostgreSQL (`connStr`). */
export function writeCdktfApp(dir: string, connStr: string, stacks: readonly AppStack[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "cdktf.json"),
    JSON.stringify({
      language: "typescript",
      app: "node main.js",
      projectId: "cdktf-immuta-team-test",
      sendCrashReports: "false",
      terraformProviders: [],
      terraformModules: [],
      context: {},
    }),
  );
  const main = [
    `const { App, PgBackend, TerraformStack } = require(${JSON.stringify(join(REPO, "node_modules", "cdktf"))});`,
    `const lib = require(${JSON.stringify(join(REPO, "lib", "src"))});`,
    `const app = new App();`,
    ...stacks.map((s) =>
      [
        `{`,
        `  const stack = new TerraformStack(app, ${JSON.stringify(s.name)});`,
        `  new PgBackend(stack, { connStr: ${JSON.stringify(connStr)}, schemaName: ${JSON.stringify(s.schema)} });`,
        `  new lib.ImmutaProvider(stack, "immuta");`,
        s.body,
        `}`,
      ].join("\n"),
    ),
    `app.synth();`,
  ];
  writeFileSync(join(dir, "main.js"), `${main.join("\n")}\n`);
}

export interface RunningCommand {
  /** Everything it printed so far, stdout and stderr, without colour codes. */
  output(): string;
  readonly exited: Promise<number>;
  /** Sends a signal to its whole process group (cdktf, terraform, the steps), if still running. */
  signal(name: NodeJS.Signals): void;
  /** Kills its whole process group, if still running. */
  stop(): void;
}

/** Starts `cdktf <args>` in `dir`, in a process group of its own. */
export function startCdktf(
  dir: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): RunningCommand {
  return startCommand(join(REPO, "node_modules", ".bin", "cdktf"), args, dir, env);
}

/** Starts a command in a process group of its own, as a CI runner runs a job's step. */
export function startCommand(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): RunningCommand {
  const child: ChildProcess = spawn(command, [...args], {
    cwd,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  let running = true;
  const exited = new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, killedBy) => {
      running = false;
      resolve(code ?? (killedBy ? 128 : 1));
    });
  });
  const signal = (name: NodeJS.Signals) => {
    if (running && child.pid !== undefined) {
      try {
        process.kill(-child.pid, name);
      } catch {
        // already gone
      }
    }
  };
  return {
    // eslint-disable-next-line no-control-regex
    output: () => text.replace(/\u001b\[[0-9;]*m/g, ""),
    exited,
    signal,
    stop: () => signal("SIGKILL"),
  };
}
