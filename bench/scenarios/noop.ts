/**
 * `terraform apply` of the 500 deployed objects with nothing changed, against `terraform apply` of
 * as many bare `terraform_data` resources (also already applied), and the server must receive
 * no request at all. Uses the stack the deploy scenario left, or deploys one first.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { take, type Deployed } from "../lib/handoff";
import { interleave } from "../lib/interleave";
import { writeConfig } from "../lib/node-e-graph";
import { progress } from "../lib/progress";
import { row, type Scenario } from "../lib/scenario";
import {
  OBJECTS,
  readConfig,
  resourceCount,
  startEmbedded,
  stackEnv,
  synthStack,
  type TerraformConfig,
} from "../lib/stack-500";
import { median } from "../lib/stats";
import { apply, init, terraformEnv } from "../lib/terraform";

async function deployOwn(dir: string): Promise<Deployed> {
  progress("noop: deploying the stack first (the deploy scenario did not run before)");
  const stackDir = await synthStack(join(dir, "ours"));
  const server = await startEmbedded();
  await init(stackDir, terraformEnv());
  await apply(stackDir, stackEnv(server.url));
  return { stackDir, server, dispose: () => server.close() };
}

/** `count` bare terraform_data resources, state beside the configuration. */
function bareConfig(count: number): TerraformConfig {
  const resources: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < count; i++) resources[`bare_${i}`] = {};
  return {
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
    resource: { terraform_data: resources },
  };
}

export const noop: Scenario = {
  name: "noop",
  summary: "terraform apply of the 500 objects unchanged vs as many bare terraform_data",
  needsBuild: true,
  async run({ quick }) {
    const dir = mkdtempSync(join(tmpdir(), "immuta-bench-noop-"));
    let deployed: Deployed | undefined;
    try {
      deployed = take() ?? (await deployOwn(dir));
      const { stackDir, server } = deployed;
      const count = resourceCount(readConfig(stackDir));
      const bareDir = writeConfig(join(dir, "bare"), bareConfig(count));
      await init(bareDir, terraformEnv());
      await apply(bareDir, terraformEnv());
      progress(`noop: ${count} bare terraform_data applied; now applying both unchanged`);
      const before = server.requests().length;
      const s = await interleave("noop", quick ? 2 : 5, {
        ours: async () => (await apply(stackDir, stackEnv(server.url))).ms,
        bare: async () => (await apply(bareDir, terraformEnv())).ms,
      });
      const requests = server.requests().length - before;
      return [
        row(
          {
            scenario: "noop",
            measure: `apply unchanged, ${OBJECTS} objects vs ${count} bare terraform_data`,
            unit: "ms",
            target: { max: 1.2 },
            requirement: { met: requests === 0, text: "0 requests" },
            samples: { ours: s.ours, baseline: s.bare },
            notes: [`requests to the server during the no-op applies: ${requests}`],
          },
          median,
        ),
      ];
    } finally {
      await deployed?.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
