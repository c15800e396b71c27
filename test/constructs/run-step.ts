/**
 * Runs a synthesized step's argv through the CLI in-process, as Terraform would start it
 * (`node <bin> <command> ...`): the arguments after the bin, with the environment and working
 * directory given.
 */
import { run } from "../../src/cli/run";
import { captureIo } from "../helpers/capture-io";

export async function runStep(argv: readonly string[], env: NodeJS.ProcessEnv, cwd?: string) {
  if (argv[0] !== "node" || !argv[1].endsWith("bin/immuta-v2.js")) {
    throw new Error(`not the CLI: ${argv.slice(0, 2).join(" ")}`);
  }
  const out = captureIo({ env, ...(cwd ? { cwd } : {}) });
  const code = await run(argv.slice(2), out.io);
  return { code, stdout: out.stdout(), stderr: out.stderr() };
}
