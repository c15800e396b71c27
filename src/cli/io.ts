/** What a command may touch, passed in so that commands run in-process in tests. */
export interface Output {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted when the process is asked to stop (SIGINT/SIGTERM); long-running commands end cleanly. */
  readonly signal?: AbortSignal;
}

/** Exit codes, as documented in `immuta-v2 --help`. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** The operation failed: server error, validation error, unreachable server. */
  failed: 1,
  /** The command line or the environment is wrong. */
  usage: 2,
} as const;

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colors(out: Output, env: NodeJS.ProcessEnv) {
  const on = out.isTTY === true && !env.NO_COLOR && env.TERM !== "dumb";
  const paint = (code: number) => (text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);
  return { red: paint(31), green: paint(32), yellow: paint(33), dim: paint(2), bold: paint(1) };
}
