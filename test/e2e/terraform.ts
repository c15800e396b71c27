/**
 * Running the real `terraform` binary (or cdktf) in a stack directory, asynchronously, so that an
 * embedded server in the test's own process keeps answering the provisioners' calls.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";

export const REPO = join(__dirname, "..", "..");

/**
 * The environment Terraform runs with: the project's own CLI config, no checkpoint calls, and the
 * engine's name when the tests run with another one (`TERRAFORM_BINARY_NAME=tofu`), so that the
 * steps' own `terraform state pull` uses it too.
 */
export function terraformEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const binary = process.env.TERRAFORM_BINARY_NAME;
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TF_CLI_CONFIG_FILE: join(REPO, "test", "terraformrc"),
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    ...(binary ? { TERRAFORM_BINARY_NAME: binary } : {}),
    ...extra,
  };
}

/** The engine a run uses: the one its environment names (cdktf's convention), else terraform. */
export function terraformBinary(env: NodeJS.ProcessEnv): string {
  return env.TERRAFORM_BINARY_NAME || process.env.TERRAFORM_BINARY_NAME || "terraform";
}

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, for assertions about what a user would see. */
  readonly output: string;
}

export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env,
        maxBuffer: 64 * 1024 * 1024,
        timeout: options.timeoutMs ?? 180_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        if (error && typeof error.code !== "number") return reject(error);
        resolve({ code, stdout, stderr, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

export function terraform(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Run> {
  return run(terraformBinary(env), ["-chdir=" + cwd, ...args], { cwd, env });
}
