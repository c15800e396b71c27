/**
 * C19 of ../shared/spec/convergence.md: a stack deployed with the released 0.1.0 (its own
 * synthesized configuration and CLI, test/fixtures/v0.1.0) and deployed again with this version
 * sends Immuta nothing for its unchanged objects: the state moves to the new layout, the tenant
 * does not notice.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as library from "../../src";
import { build, type Library } from "../fixtures/v0.1.0/governance";
import { GovernanceStack, calls } from "./harness";

jest.setTimeout(180_000);

const FIXTURE = join(__dirname, "..", "fixtures", "v0.1.0");

describe("upgrading from 0.1.0", () => {
  let stack: GovernanceStack;
  afterEach(() => stack.close());

  it("C19: an unchanged stack deployed with 0.1.0 then with this version: no POST, no DELETE", async () => {
    stack = await GovernanceStack.start();
    mkdirSync(stack.dir, { recursive: true });
    const legacy = readFileSync(join(FIXTURE, "cdk.tf.json"), "utf8").replaceAll(
      "__IMMUTA_0_1_0_BIN__",
      join(FIXTURE, "bin", "immuta-v2.js"),
    );
    writeFileSync(join(stack.dir, "cdk.tf.json"), legacy);
    await stack.apply();
    const deployed = stack.newRequests();
    expect(calls(deployed).filter((c) => c.startsWith("POST "))).toHaveLength(6);
    // 0.1.0's own layout: an identity and an apply resource per object, and a prune.
    expect(stack.stateText()).toContain("research_identity_");

    stack.synth((s) => build(library as unknown as Library, s));
    const upgrade = await stack.apply();
    expect(upgrade.output).toMatch(/has moved to terraform_data\.immuta_purpose\["Research"\]/);
    expect(calls(stack.newRequests())).toEqual([]);
    expect(stack.stateText()).not.toContain("research_identity_");

    const plan = await stack.terraform("plan", "-detailed-exitcode", "-input=false");
    expect(plan.code).toBe(0);
    await stack.apply();
    expect(stack.newRequests()).toEqual([]);

    // From then on the new layout manages every object, to its end.
    await stack.destroy();
    for (const kind of ["data", "policy", "project", "purpose"]) {
      expect(await stack.keys(kind)).toEqual([]);
    }
  });
});
