/** Running a command line as this process: real streams in, exit code out, signals handled. */
import { getEventListeners } from "node:events";
import type { Io } from "./io";

export function startProcess(run: (argv: string[], io: Io) => Promise<number>): void {
  // A command that runs until stopped (serve) listens on the signal and ends cleanly; any other
  // command is simply interrupted, as a command-line tool should be.
  const controller = new AbortController();
  for (const name of ["SIGINT", "SIGTERM"] as const) {
    process.on(name, () => {
      if (getEventListeners(controller.signal, "abort").length === 0) process.exit(130);
      controller.abort();
    });
  }
  run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`immuta-v2: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
