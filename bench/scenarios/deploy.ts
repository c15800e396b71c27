/**
 * First `terraform apply` of 500 objects to a fresh embedded server (in this process), against
 * the same Terraform graph with `node -e ''` as every provisioner's command. Each repetition
 * starts from no state and an empty server. The last deployed stack is handed to `noop`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { offer } from "../lib/handoff";
import { interleave } from "../lib/interleave";
import { withNodeEProvisioners, writeConfig } from "../lib/node-e-graph";
import { progress } from "../lib/progress";
import { row, type Scenario } from "../lib/scenario";
import { median } from "../lib/stats";
import {
  OBJECTS,
  readConfig,
  resourceCount,
  startEmbedded,
  stackEnv,
  synthStack,
} from "../lib/stack-500";
import { apply, init, terraformEnv } from "../lib/terraform";
import type { RunningServer } from "../../src/server";

function removeState(dir: string): void {
  for (const name of ["terraform.tfstate", "terraform.tfstate.backup"]) {
    rmSync(join(dir, name), { force: true });
  }
}

export const deploy: Scenario = {
  name: "deploy",
  summary: "first terraform apply of 500 objects vs the same graph running node -e ''",
  needsBuild: true,
  async run({ quick }) {
    const dir = mkdtempSync(join(tmpdir(), "immuta-bench-deploy-"));
    let server: RunningServer | undefined;
    let handedOver = false;
    try {
      const stackDir = await synthStack(join(dir, "ours"));
      const config = readConfig(stackDir);
      const baseDir = writeConfig(join(dir, "baseline"), withNodeEProvisioners(config));
      await init(stackDir, terraformEnv());
      await init(baseDir, terraformEnv());
      progress(`deploy: ${resourceCount(config)} resources synthesized and initialised`);
      const requests: number[] = [];
      const s = await interleave("deploy", quick ? 1 : 2, {
        ours: async () => {
          await server?.close();
          removeState(stackDir);
          server = await startEmbedded();
          const result = await apply(stackDir, stackEnv(server.url));
          requests.push(server.requests().filter((r) => r.method === "POST").length);
          return result.ms;
        },
        nodeE: async () => {
          removeState(baseDir);
          return (await apply(baseDir, terraformEnv())).ms;
        },
      });
      const last = server!;
      await offer({
        stackDir,
        server: last,
        dispose: async () => {
          await last.close();
          rmSync(dir, { recursive: true, force: true });
        },
      });
      handedOver = true;
      return [
        row(
          {
            scenario: "deploy",
            measure: `first apply, ${OBJECTS} objects vs same graph with node -e ''`,
            unit: "ms",
            target: { max: 1.5 },
            requirement: {
              met: requests.every((n) => n === OBJECTS),
              text: `${OBJECTS} POSTs`,
            },
            samples: { ours: s.ours, baseline: s.nodeE },
            notes: [
              `${resourceCount(config)} terraform_data resources; POSTs per deploy: ${requests.join(", ")}`,
            ],
          },
          median,
        ),
      ];
    } finally {
      if (!handedOver) {
        await server?.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  },
};
