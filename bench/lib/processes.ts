/**
 * Child processes, timed from spawn to exit. Every measured command runs in its own process so
 * that module loading, JIT warm-up and garbage collection are the same for both sides of a ratio.
 */
import { spawn } from "node:child_process";
import { CHILDREN_DIR } from "./repo";
import { since } from "./stats";

export interface Finished {
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs a command to completion, with its wall time in milliseconds. */
export function timed(command: string, args: readonly string[], options: RunOptions = {}) {
  return new Promise<Finished>((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = since(start);
      resolve({
        ms,
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}

/** Like `timed`, but a non-zero exit is an error showing the command's output. */
export async function mustRun(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<Finished> {
  const result = await timed(command, args, options);
  if (result.code !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().slice(-4000);
    throw new Error(`${command} ${args.join(" ")} exited ${result.code}:\n${output}`);
  }
  return result;
}

/**
 * `node` running one of bench/children/*.ts through tsx's CommonJS hook, as a cdktf app is run
 * (the examples' cdktf.json runs tsx too).
 */
export function childScript(name: string, args: readonly string[], nodeFlags: string[] = []) {
  const tsx = require.resolve("tsx/cjs");
  return {
    command: process.execPath,
    args: [...nodeFlags, "--require", tsx, `${CHILDREN_DIR}/${name}.ts`, ...args],
  };
}

/** The last line of a child's stdout, parsed as JSON: how children report what they measured. */
export function lastJsonLine<T>(stdout: string): T {
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]) as T;
}
