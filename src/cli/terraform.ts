/**
 * Reading a stack's own Terraform state from a step or a review, in the stack directory, whatever
 * backend the stack uses. The binary is `terraform`, or the one `TERRAFORM_BINARY_NAME` names
 * (cdktf's convention; e.g. `tofu`).
 */
import { execFile } from "node:child_process";
import { ImmutaError } from "../errors";
import { parseState, type State } from "../layout/state";

export class TerraformReadError extends ImmutaError {
  readonly code = "TERRAFORM_READ";
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
              `${(stderr || stdout || String(error)).trim()})`,
          ),
        );
      },
    );
  });
}

/**
 * The state as last persisted (`terraform state pull`, which takes no lock, so a step can read it
 * while its own apply holds one). A stack never deployed has an empty state.
 */
export async function pullState(cwd: string, env: NodeJS.ProcessEnv): Promise<State> {
  return parseState(await runTerraform(["state", "pull"], cwd, env, "the stack's state"));
}
