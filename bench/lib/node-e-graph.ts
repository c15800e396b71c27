/**
 * The deploy baseline: the same Terraform graph (every resource, dependency and provisioner
 * environment expression kept) with `node -e ''` as every provisioner's command, so that what
 * remains of the difference is our CLI's work.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TerraformConfig } from "./stack-500";

interface LocalExec {
  interpreter?: string[];
  [field: string]: unknown;
}

export function withNodeEProvisioners(config: TerraformConfig): TerraformConfig {
  const copy = structuredClone(config);
  for (const byName of Object.values(copy.resource)) {
    for (const resource of Object.values(byName)) {
      const provisioners = (resource.provisioner ?? []) as { "local-exec"?: LocalExec }[];
      for (const p of provisioners) {
        const exec = p["local-exec"];
        // local-exec runs interpreter + [command]; the command (the key, which Terraform requires
        // to be non-empty) becomes an argument `node -e ''` ignores.
        if (exec) exec.interpreter = ["node", "-e", ""];
      }
    }
  }
  return copy;
}

export function writeConfig(dir: string, config: TerraformConfig): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(config, null, 2));
  return dir;
}
