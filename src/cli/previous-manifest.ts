/**
 * The list of objects the previous deploy managed, read back from the stack's own state with
 * `terraform output -json NAME` (in the working directory, whatever backend the stack uses).
 * The output is written only once a prune succeeded, so a failed prune is retried by the next
 * deploy with the same previous list.
 */
import { execFile } from "node:child_process";
import { ImmutaError } from "../errors";

export class TerraformOutputError extends ImmutaError {
  readonly code = "TERRAFORM_OUTPUT";
}

/**
 * The previous list, or `undefined` when the state has no such output (a first deploy, or the
 * first since a destroy). Any other failure is an error: pruning blindly could delete too much,
 * and not pruning at all would leave orphans silently.
 */
export function readPreviousManifest(
  output: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<string[] | undefined> {
  const binary = env.TERRAFORM_BINARY_NAME || "terraform";
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      ["output", "-no-color", "-json", output],
      { cwd, env, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const text = `${stdout}\n${stderr}`;
          if (/Output "[^"]*" not found|No outputs found/.test(text)) return resolve(undefined);
          return reject(
            new TerraformOutputError(
              `cannot read the previous deploy's list of objects (${binary} output -json ${output} ` +
                `in ${cwd} failed: ${(stderr || stdout || String(error)).trim()})`,
            ),
          );
        }
        try {
          const value: unknown = JSON.parse(stdout);
          if (value === null) return resolve(undefined);
          if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
            throw new Error("not a list of strings");
          }
          resolve(value);
        } catch (cause) {
          reject(
            new TerraformOutputError(
              `output ${output} is not a list of kind/key strings: ${(cause as Error).message}`,
            ),
          );
        }
      },
    );
  });
}
