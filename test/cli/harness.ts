/**
 * Running `immuta-v2` in-process for tests. Every run's whole output (stdout and stderr, and any
 * error thrown) is scanned for secret values: a test that makes the CLI print a secret fails,
 * whatever it was testing.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "../../src/cli/command";
import type { Io } from "../../src/cli/io";
import { run } from "../../src/cli/run";
import { SECRET_ENV, SECRET_VALUES } from "../client/fixtures";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Added to SECRET_ENV (which holds the API key and the connection password). */
  readonly env?: NodeJS.ProcessEnv;
  /** Replaces the environment entirely. */
  readonly onlyEnv?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Whether stdout and stderr claim to be terminals. */
  readonly tty?: boolean;
  /** Run this command object instead of dispatching through `run` (for test knobs). */
  readonly command?: Command;
  /** More values that must never appear. */
  readonly secrets?: readonly string[];
}

/** Runs `immuta-v2 ...argv` and checks that no secret value appears in what it printed. */
export async function cli(argv: string[], options: CliOptions = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: options.tty },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: options.tty },
    env: options.onlyEnv ?? { ...SECRET_ENV, ...options.env },
    cwd: options.cwd ?? process.cwd(),
  };
  let code: number;
  try {
    code = options.command ? await options.command.run(argv.slice(1), io) : await run(argv, io);
  } catch (error) {
    expectNoSecrets(String((error as Error)?.stack ?? error), options.secrets);
    throw error;
  }
  expectNoSecrets(stdout, options.secrets);
  expectNoSecrets(stderr, options.secrets);
  return { code, stdout, stderr };
}

/** Fails when the text holds any secret value (or a JSON-escaped or URL-encoded form of one). */
export function expectNoSecrets(text: string, extra: readonly string[] = []): void {
  for (const secret of [...SECRET_VALUES, ...extra]) {
    for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]) {
      if (text.includes(form)) {
        throw new Error(`a secret value leaked into the output:\n${text}`);
      }
    }
  }
}

const workdirs: string[] = [];
afterAll(() => {
  for (const dir of workdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A temporary directory holding the given files (name → content; objects are written as JSON),
 * removed after the test file.
 */
export function workdir(files: Record<string, string | object>): string {
  const dir = mkdtempSync(join(tmpdir(), "immuta-cli-"));
  workdirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === "string" ? content : JSON.stringify(content));
  }
  return dir;
}
