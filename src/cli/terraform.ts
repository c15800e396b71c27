/**
 * Reading a stack's own Terraform state from a step or a review, in the stack directory, whatever
 * backend the stack uses. The binary is `terraform`, or the one `TERRAFORM_BINARY_NAME` names
 * (cdktf's convention; e.g. `tofu`).
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { ImmutaError } from "../errors";
import { parseState, type State } from "../layout/state";
import { localStatePath } from "./local-state";

export class TerraformReadError extends ImmutaError {
  get code() {
    return "TERRAFORM_READ" as const;
  }
}

export function terraformBinary(env: NodeJS.ProcessEnv): string {
  return env.TERRAFORM_BINARY_NAME || "terraform";
}

/** Runs the binary; stdout on success, a TerraformReadError naming the command otherwise. */
export function runTerraform(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  why: string,
): Promise<string> {
  const binary = terraformBinary(env);
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      [...args],
      { cwd, env, maxBuffer: 1024 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        reject(
          new TerraformReadError(
            `cannot read ${why} (${binary} ${args.join(" ")} in ${cwd} failed: ` +
              `${terraformError(stderr || stdout || String(error))})`,
          ),
        );
      },
    );
  });
}

/**
 * What Terraform's failure says, in one line: its first `Error:` diagnostic without colours or
 * box-drawing (the rest, and warnings such as a missing CLI configuration file, are noise in a
 * review's note), or else its whole output on one line.
 */
export function terraformError(output: string): string {
  const lines = output
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    .map((line) => line.replace(/^[│╷╵]\s?/, "").trim());
  const error = lines.find((line) => line.startsWith("Error: "));
  return error ?? lines.filter((line) => line !== "").join(" ");
}

/** How often, and how far apart, a state read is tried before its answer is believed. */
const READS = { emptyTimes: 3, invalidTimes: 20, apartMs: 100 };

/**
 * The state as last persisted (`terraform state pull`, which takes no lock, so a step can read it
 * while its own apply holds one). A stack never deployed has an empty state.
 */
export function pullState(cwd: string, env: NodeJS.ProcessEnv): Promise<State> {
  return readSettled(
    () => runTerraform(["state", "pull"], cwd, env, "the stack's state"),
    `${terraformBinary(env)} state pull in ${cwd}`,
  );
}

/**
 * The state as `pullState` reads it, but from the local backend's file itself when the stack has
 * one: no Terraform process to start. For the confirm steps, which read it on the deploy's
 * critical path while the apply writes it.
 */
export function readState(cwd: string, env: NodeJS.ProcessEnv): Promise<State> {
  const file = localStatePath(cwd);
  if (!file) return pullState(cwd, env);
  return readSettled(async () => {
    try {
      return readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
      throw new TerraformReadError(
        `cannot read the stack's state (${file}): ${(error as Error).message}`,
      );
    }
  }, file);
}

/**
 * The local backend rewrites its state file in place after every resource of an apply: a read
 * from a step can catch it truncated (empty, or JSON cut short). So an unreadable state is read
 * again, and an empty one is believed only when it reads empty several times over.
 */
async function readSettled(read: () => Promise<string>, source: string): Promise<State> {
  let empty = 0;
  for (let attempt = 1; ; attempt++) {
    const text = await read();
    if (text.trim() === "") {
      if (++empty >= READS.emptyTimes) return parseState("");
    } else {
      try {
        return parseState(text);
      } catch (error) {
        if (attempt >= READS.invalidTimes) {
          throw new TerraformReadError(
            `the stack's state does not read as JSON (${source}): ${(error as Error).message}`,
          );
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, READS.apartMs));
  }
}
