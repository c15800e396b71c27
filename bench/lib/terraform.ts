/**
 * The real `terraform` binary (or the one TERRAFORM_BINARY_NAME names), with the project's own CLI
 * configuration and no checkpoint calls, as the end-to-end tests run it.
 */
import { terraformEnv } from "../../test/e2e/terraform";
import { mustRun, type Finished } from "./processes";

export { terraformEnv };

export function terraform(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Finished> {
  const binary = process.env.TERRAFORM_BINARY_NAME || "terraform";
  return mustRun(binary, [...args, "-no-color"], { cwd, env });
}

export const init = (cwd: string, env: NodeJS.ProcessEnv) =>
  terraform(["init", "-input=false"], cwd, env);

export const apply = (cwd: string, env: NodeJS.ProcessEnv) =>
  terraform(["apply", "-auto-approve", "-input=false"], cwd, env);
