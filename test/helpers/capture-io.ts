import type { Io } from "../../src/cli/io";

/** An Io whose output is kept, for running CLI commands in-process. */
export function captureIo(overrides: Partial<Io> = {}) {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: {},
    cwd: process.cwd(),
    ...overrides,
  };
  return {
    io,
    stdout: () => stdout,
    stderr: () => stderr,
  };
}
