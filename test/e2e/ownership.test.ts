/**
 * C17 of ../shared/spec/convergence.md: a stack never silently takes over what Immuta already
 * holds under a key it declares for the first time (another stack's, or a person's). The deploy
 * stops before any write, naming the key and the ways on; the code can adopt it explicitly.
 */
import type { TerraformStack } from "cdktf";
import { GlobalPolicy, Project, Purpose } from "../../src";
import { MASK_PII } from "../payload/fixtures";
import { API_KEY, GovernanceStack, calls } from "./harness";

jest.setTimeout(180_000);

/** What someone else made in the tenant, before this stack existed. */
async function theirs(stack: GovernanceStack): Promise<void> {
  const response = await fetch(`${stack.server.url}/api/v2/policy`, {
    method: "POST",
    headers: { authorization: API_KEY, "content-type": "application/json" },
    body: JSON.stringify({ ...MASK_PII, name: "Theirs" }),
  });
  expect(response.status).toBe(200);
  stack.newRequests();
}

function governance(adopt = false) {
  return (stack: TerraformStack) => {
    new Purpose(stack, "research", { name: "Research" });
    new GlobalPolicy(stack, "mask", { ...MASK_PII, adopt });
  };
}

describe("ownership guard", () => {
  const stacks: GovernanceStack[] = [];
  afterEach(async () => {
    for (const s of stacks.reverse()) await s.close();
    stacks.length = 0;
  });
  const start = async (...args: Parameters<typeof GovernanceStack.start>) => {
    const stack = await GovernanceStack.start(...args);
    stacks.push(stack);
    return stack;
  };

  it("a key Immuta holds fails the first deploy before any write, naming it and the ways on", async () => {
    const stack = await start();
    await theirs(stack);
    stack.synth(governance());
    const failed = await stack.apply({ expectFailure: true });
    expect(failed.output).toMatch(/global policy "mask-pii"/);
    expect(failed.output).toMatch(/adopt: true/);
    expect(failed.output).toMatch(/immuta-v2 import/);
    expect(failed.output).toMatch(/Error running command 'immuta-v2 guard immuta'/);
    // Only the guard's questions (is it there? is it as declared?): nothing written, theirs
    // untouched.
    expect(calls(stack.newRequests())).toEqual([
      "DELETE? policy mask-pii",
      "DELETE? purpose Research",
      "POST? policy mask-pii",
    ]);
    expect(await stack.get("policy", "mask-pii")).toMatchObject({ name: "Theirs" });

    // The plan review says so beforehand, in its own section, and fails the gate.
    expect((await stack.terraform("plan", "-out=plan.bin", "-input=false")).code).toBe(0);
    const shown = await stack.terraform("show", "-json", "plan.bin");
    require("node:fs").writeFileSync(`${stack.dir}/plan.json`, shown.stdout);
    const review = await stack.cli("plan", "--stack-dir", ".", "--plan-json", "plan.json");
    expect(review.code).toBe(1);
    expect(review.stdout).toMatch(/1 exists in Immuta, not managed by this stack/);
    expect(review.stdout).toMatch(/global policy "mask-pii": Immuta already holds it/);
  });

  it("adopt: true takes the object over, and the stack manages it from then on", async () => {
    const stack = await start();
    await theirs(stack);
    stack.synth(governance(true));
    await stack.apply();
    expect(calls(stack.newRequests())).toEqual([
      "DELETE? purpose Research",
      "POST policy mask-pii",
      "POST purpose Research",
    ]);
    expect(await stack.get("policy", "mask-pii")).toMatchObject({ name: MASK_PII.name });
    await stack.apply();
    expect(stack.newRequests()).toEqual([]);
    stack.synth((s) => new Purpose(s, "research", { name: "Research" }));
    await stack.apply();
    expect(calls(stack.newRequests())).toEqual(["DELETE policy mask-pii"]);
  });

  it("adoptExisting on the provider adopts every key", async () => {
    const stack = await start({}, { adoptExisting: true });
    await theirs(stack);
    stack.synth(governance());
    await stack.apply();
    expect(calls(stack.newRequests())).toEqual(["POST policy mask-pii", "POST purpose Research"]);
  });

  it("two stacks declaring one key: the second is refused", async () => {
    const first = await start();
    first.synth(governance());
    await first.apply();
    const second = GovernanceStack.beside(first);
    stacks.push(second);
    second.synth((s) => new Purpose(s, "research", { name: "Research", description: "mine" }));
    const failed = await second.apply({ expectFailure: true });
    expect(failed.output).toMatch(/purpose "Research"/);
    expect(calls(second.newRequests())).toEqual([
      "DELETE? purpose Research",
      "POST? purpose Research",
    ]);
    expect(await first.get("purpose", "Research")).not.toHaveProperty("description");
  });

  it("a purpose another stack's project uses (a dry-run delete Immuta refuses) is held too", async () => {
    const first = await start();
    first.synth((s) => {
      const research = new Purpose(s, "research", { name: "Research" });
      new Project(s, "fraud", { projectKey: "fraud", name: "Fraud", purposes: [research] });
    });
    await first.apply();
    const second = GovernanceStack.beside(first);
    stacks.push(second);
    second.synth((s) => new Purpose(s, "research", { name: "Research", description: "mine" }));
    const failed = await second.apply({ expectFailure: true });
    expect(failed.output).toMatch(/Immuta already holds an object this stack has never managed/);
    expect(failed.output).toMatch(/purpose "Research"/);
    expect(await first.get("purpose", "Research")).not.toHaveProperty("description");
  });

  it("an object this stack created once is its own, even after a failed deploy", async () => {
    const stack = await start({
      faults: [{ status: 500, times: 1, method: "POST", kind: "policy", key: "mask-pii" }],
    });
    stack.synth(governance());
    await stack.apply({ expectFailure: true });
    stack.newRequests();
    // The policy instance is in the state (tainted): retried, not refused.
    await stack.apply();
    expect(calls(stack.newRequests())).toEqual(["POST policy mask-pii"]);
  });
});
