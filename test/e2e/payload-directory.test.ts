/** Payload files in Git, deployed with terraform: the seed's examples converge, and a moved payload changes nothing. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PayloadDirectory } from "../../src";
import { SEED_DIR } from "../payload/fixtures";
import { GovernanceStack, calls } from "./harness";

jest.setTimeout(180_000);

describe("PayloadDirectory deployed", () => {
  let stack: GovernanceStack;
  let dir: string;
  beforeEach(async () => {
    stack = await GovernanceStack.start();
    stack.env = { DATABRICKS_TOKEN: "dapi-not-a-real-token" };
    dir = mkdtempSync(join(tmpdir(), "governance-"));
  });
  afterEach(async () => {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("converges the seed's documented examples, then changes nothing", async () => {
    stack.synth((s) => {
      new PayloadDirectory(s, "governance", { path: SEED_DIR });
    });
    const applied = await stack.apply();
    expect(applied.output).toMatch(/confirm: 5 global policies, each applied by this deploy/);
    // The guard asks about every key first (none is there), then each object is created once.
    const requests = stack.newRequests();
    const written = calls(requests.filter((r) => r.query?.dryRun !== "true"));
    const asked = calls(requests.filter((r) => r.query?.dryRun === "true"));
    expect(asked).toEqual(written.map((c) => c.replace(/^POST/, "DELETE?")));
    expect(written).toEqual([
      "POST data my-databricks",
      "POST policy anyone can subscribe",
      "POST policy approval to subscribe",
      "POST policy data mask constant",
      "POST policy entitlements",
      "POST policy hash pii for contractors",
      "POST project databricks workspace",
      "POST project fraud analysis",
      "POST project simplest possible project",
      "POST purpose Purpose Hierarchy",
      "POST purpose Research",
    ]);
    expect(await stack.get("project", "fraud analysis")).toMatchObject({
      allowMaskedJoins: true,
      datasources: ["data credit_card_transactions"],
    });
    await stack.apply();
    expect(stack.newRequests()).toEqual([]);
  });

  it("moving a payload to another file yields an empty plan", async () => {
    cpSync(join(SEED_DIR, "purposes.yaml"), join(dir, "purposes.yaml"));
    writeFileSync(join(dir, "project.yaml"), "projectKey: p\nname: P\npurposes: [Research]\n");
    const build = () =>
      stack.synth((s) => {
        new PayloadDirectory(s, "governance", { path: dir });
      });
    build();
    await stack.apply();
    stack.newRequests();

    rmSync(join(dir, "project.yaml"));
    writeFileSync(
      join(dir, "purposes.yaml"),
      `${readFileSync(join(SEED_DIR, "purposes.yaml"), "utf8")}\n---\n# moved here\nprojectKey: p\nname: P\npurposes: [Research]\n`,
    );
    build();
    const plan = await stack.terraform("plan", "-detailed-exitcode", "-input=false");
    expect(plan.code).toBe(0);
    expect(stack.newRequests()).toEqual([]);
  });
});
