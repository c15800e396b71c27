/**
 * A server in its own process (the embedded one through `immuta-v2 serve`, or a baseline), so
 * that the client measuring it does not share its event loop. Servers print
 * `listening on URL` as their first line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export function startServerProcess(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  startTimeoutMs = 300_000,
): Promise<ServerProcess> {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${args.join(" ")}: no "listening on" line after ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(" ")} exited ${code} before listening:\n${stderr}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      clearTimeout(timer);
      const match = /^listening on (\S+)/.exec(line);
      if (!match) {
        child.kill();
        return reject(new Error(`unexpected first line from ${args.join(" ")}: ${line}`));
      }
      child.removeAllListeners("exit");
      child.stdout!.resume();
      resolve({ url: match[1], pid: child.pid!, stop: () => stop(child) });
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
