/**
 * `terraform apply` with nothing changed, and the server must receive no request at all:
 * - the 500 deployed objects of the deploy scenario (its stack, or one deployed here), against as
 *   many bare `terraform_data` instances as ours has (objects, guard, confirm steps);
 * - the floor of issue 13: 250 purposes and 250 subscription policies against 500 `terraform_data`
 *   each carrying the same payload text in `triggers_replace` with a create-time `local-exec` of
 *   `true`: what one provisioned resource per object costs Terraform, and nothing else.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { take, type Deployed } from "../lib/handoff";
import { interleave } from "../lib/interleave";
import { writeConfig } from "../lib/node-e-graph";
import { progress } from "../lib/progress";
import { row, type Row, type Scenario } from "../lib/scenario";
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
import type * as Immuta from "../../src";
import { floorPayloads } from "../lib/governance";
import { LIB_INDEX } from "../lib/repo";
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

/** One `terraform_data` per object, its payload text as replace trigger, a `true` step at create. */
function floorBaseline(count: number): TerraformConfig {
  const lib = require(LIB_INDEX) as typeof Immuta;
  const resources: Record<string, Record<string, unknown>> = {};
  for (const { id, payload } of floorPayloads(count)) {
    resources[id] = {
      triggers_replace: lib.canonicalJson(payload),
      provisioner: [{ "local-exec": { command: "true" } }],
    };
  }
  return {
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
    resource: { terraform_data: resources },
  };
}

const KIND_BLOCKS = /^immuta_(purpose|data|policy|project)$/;

/**
 * Our floor stack's configuration with only its kinds' blocks, each reduced to `for_each` and
 * `triggers_replace` with a `true` step at create; `lifecycle` adds each block's `input`,
 * `lifecycle` and `depends_on` back (and the guard they depend on). Between the floor and ours,
 * these say what each Terraform feature of the layout costs a no-op apply.
 */
function stepConfig(ours: TerraformConfig, lifecycle: boolean): TerraformConfig {
  const blocks = ours.resource.terraform_data;
  const kept: Record<string, Record<string, unknown>> = {};
  for (const [name, block] of Object.entries(blocks)) {
    if (!KIND_BLOCKS.test(name)) continue;
    kept[name] = {
      for_each: block.for_each,
      triggers_replace: block.triggers_replace,
      provisioner: [{ "local-exec": { command: "true" } }],
      ...(lifecycle
        ? { input: block.input, lifecycle: block.lifecycle, depends_on: ["terraform_data.guard"] }
        : {}),
    };
  }
  if (lifecycle) kept.guard = {};
  return {
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
    locals: ours.locals,
    resource: { terraform_data: kept },
  };
}

/** The floor's two stacks and the steps between them, deployed; then their no-op applies. */
async function floorRow(dir: string, quick: boolean): Promise<Row> {
  const ours = await synthStack(join(dir, "floor-ours"), ["--floor"]);
  const server = await startEmbedded();
  try {
    await init(ours, terraformEnv());
    progress(`noop: deploying the floor stack (${OBJECTS} objects)`);
    await apply(ours, stackEnv(server.url));
    const bare = writeConfig(join(dir, "floor-bare"), floorBaseline(OBJECTS));
    const forEach = writeConfig(join(dir, "floor-for-each"), stepConfig(readConfig(ours), false));
    const lifecycle = writeConfig(join(dir, "floor-lifecycle"), stepConfig(readConfig(ours), true));
    for (const step of [bare, forEach, lifecycle]) {
      await init(step, terraformEnv());
      await apply(step, terraformEnv());
    }
    const before = server.requests().length;
    const s = await interleave("noop (floor)", quick ? 2 : 5, {
      ours: async () => (await apply(ours, stackEnv(server.url))).ms,
      bare: async () => (await apply(bare, terraformEnv())).ms,
      forEach: async () => (await apply(forEach, terraformEnv())).ms,
      lifecycle: async () => (await apply(lifecycle, terraformEnv())).ms,
    });
    const requests = server.requests().length - before;
    const [floor, blocks, lifecycled, all] = [s.bare, s.forEach, s.lifecycle, s.ours].map(median);
    const step = (from: number, to: number) =>
      `+${Math.round(to - from)} ms (${((to - from) / floor).toFixed(2)}x of the floor)`;
    return row(
      {
        scenario: "noop",
        measure: `apply unchanged, ${OBJECTS / 2} purposes + ${OBJECTS / 2} subscription policies vs ${OBJECTS} terraform_data with their payloads and a local-exec`,
        unit: "ms",
        target: { max: 1.5 },
        requirement: { met: requests === 0, text: "0 requests" },
        samples: { ours: s.ours, baseline: s.bare },
        notes: [
          `floor: requests to the server during the no-op applies: ${requests}`,
          `floor: what each Terraform feature of the layout adds to the floor's ${Math.round(floor)} ms: ` +
            `one for_each block per kind (instances in a local value) instead of a resource per ` +
            `object ${step(floor, blocks)}; input (plantimestamp), ignore_changes, ` +
            `create_before_destroy and depends_on ${step(blocks, lifecycled)}; the guard and confirm ` +
            `steps and the step expressions (ours) ${step(lifecycled, all)}`,
        ],
      },
      median,
    );
  } finally {
    await server.close();
  }
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
      await deployed.dispose();
      deployed = undefined;
      return [
        row(
          {
            scenario: "noop",
            measure: `apply unchanged, ${OBJECTS} objects vs ${count} bare terraform_data instances`,
            unit: "ms",
            target: { max: 1.2 },
            requirement: { met: requests === 0, text: "0 requests" },
            samples: { ours: s.ours, baseline: s.bare },
            notes: [`requests to the server during the no-op applies: ${requests}`],
          },
          median,
        ),
        await floorRow(dir, quick),
      ];
    } finally {
      await deployed?.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
