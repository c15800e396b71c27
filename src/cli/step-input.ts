/**
 * What the provisioner steps of a tenant (guard, confirm) read: a JSON value Terraform passes in
 * the environment, whole or in chunks (NAME_0, NAME_1, ...), and the label argument they ignore.
 */
import { UsageError } from "../errors";
import { readChunkedEnv } from "./payload-input";

/** The option every step takes for its label (what Terraform prints as the command). */
export const LABEL_OPTION = { label: { type: "string" } } as const;

export function readJsonInput(name: string | undefined, env: NodeJS.ProcessEnv): unknown {
  if (name === undefined) throw new UsageError("--input-env is required");
  const text = readChunkedEnv(name, env);
  if (text === undefined) {
    throw new UsageError(`--input-env ${name}: neither ${name} nor ${name}_0 is set`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--input-env ${name}: not JSON`);
  }
}
