/**
 * The stack the deploy and no-op scenarios apply: 500 objects (125 per kind) synthesized with our
 * constructs by the same child as the synth scenario, with state at a relative path, and the
 * embedded server (in this process: Terraform is the child) whose catalog knows its connections.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type * as Server from "../../src/server";
import { catalogFor } from "./payloads";
import { childScript, mustRun } from "./processes";
import { LIB_INDEX } from "./repo";
import { blockInstances } from "../../src/layout/instances";
import { terraformEnv } from "./terraform";

export const OBJECTS = 500;
const API_KEY = "bench-deploy-key";

/** Synthesizes the stack under `outdir`; returns its directory (where cdk.tf.json is). */
export async function synthStack(outdir: string, flags: readonly string[] = []): Promise<string> {
  const child = childScript("synth-immuta", [outdir, `${OBJECTS}`, "--local-backend", ...flags]);
  await mustRun(child.command, child.args);
  return join(outdir, "stacks", "governance");
}

export interface TerraformConfig {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  locals?: Record<string, unknown>;
  [block: string]: unknown;
}

export function readConfig(stackDir: string): TerraformConfig {
  return JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as TerraformConfig;
}

/** How many resource instances a configuration declares (one per `for_each` key). */
export function resourceCount(config: TerraformConfig): number {
  return Object.values(config.resource).reduce(
    (n, byName) =>
      n +
      Object.values(byName).reduce(
        (m, r) =>
          m + (r.for_each ? Object.keys(blockInstances(config, r)).length : 1),
        0,
      ),
    0,
  );
}

/** A fresh embedded server knowing the stack's connections. */
export function startEmbedded(): Promise<Server.RunningServer> {
  const { startServer } = require(LIB_INDEX) as typeof Server;
  return startServer({ catalog: catalogFor(OBJECTS / 4), apiKeys: [{ key: API_KEY }] });
}

/** Terraform's environment for applying the stack to `url`. */
export function stackEnv(url: string): NodeJS.ProcessEnv {
  return terraformEnv({ IMMUTA_URL: url, IMMUTA_API_KEY: API_KEY, DWH_PASSWORD: "bench" });
}
