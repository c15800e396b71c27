/**
 * C14 and C15 of ../shared/spec/convergence.md: deploys that fail or are killed half-way must not
 * leave Immuta different from the code once the next plain deploy has run, whatever Terraform
 * saved before the failure.
 */
import type { TerraformStack } from "cdktf";
import { DataSource, GlobalPolicy, Project, Purpose, Secret } from "../../src";
import { MASK_PII, SNOWFLAKE } from "../payload/fixtures";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Fault } from "../../src/server/types";
import { GovernanceStack, calls, eventually } from "./harness";

jest.setTimeout(240_000);

interface Variant {
  readonly descriptions?: string;
  readonly without?: readonly string[];
  readonly extra?: (stack: TerraformStack) => void;
}

function governance(variant: Variant = {}) {
  return (stack: TerraformStack) => {
    const has = (name: string) => !variant.without?.includes(name);
    const research = new Purpose(stack, "research", {
      name: "Research",
      description: `Research ${variant.descriptions ?? "v1"}`,
    });
    if (has("Marketing")) {
      new Purpose(stack, "marketing", {
        name: "Marketing",
        description: `Marketing ${variant.descriptions ?? "v1"}`,
      });
    }
    if (has("Legal")) new Purpose(stack, "legal", { name: "Legal" });
    const dwh = new DataSource(stack, "dwh", {
      connectionKey: "dwh",
      connection: { ...SNOWFLAKE, password: Secret.fromEnv("DWH_PASSWORD") },
      sources: [{ table: "customers", schema: "public" }],
    });
    new Project(stack, "fraud", {
      projectKey: "fraud",
      name: "Fraud",
      purposes: [research],
      datasources: [dwh.dataSourceName("public", "customers")],
    });
    new GlobalPolicy(stack, "mask", MASK_PII);
    variant.extra?.(stack);
  };
}

/** Immuta's purposes as `name: description`, to compare with the code. */
async function purposes(stack: GovernanceStack): Promise<string[]> {
  const names = await stack.keys("purpose");
  const described = await Promise.all(
    names.map(async (n) => `${n}: ${(await stack.get("purpose", n))?.description ?? ""}`),
  );
  return described.sort();
}

describe("interrupted deploys", () => {
  let stack: GovernanceStack;
  let data: string | undefined;
  /** A data directory for the test's server, so that it can restart with faults. */
  const dataDir = () => (data ??= mkdtempSync(join(tmpdir(), "immuta-data-")));
  afterEach(async () => {
    await stack.close();
    if (data) rmSync(data, { recursive: true, force: true });
    data = undefined;
  });

  it("C14: objects a failed deploy created are DELETEd once they leave the code", async () => {
    stack = await GovernanceStack.start();
    stack.synth(governance());
    await stack.apply();
    stack.synth(
      governance({
        extra: (s) => {
          new GlobalPolicy(s, "open", {
            policyKey: "temp-open-access",
            name: "Temporary open access",
            type: "subscription",
            actions: { type: "anyone" },
            circumstances: [{ type: "tags", tag: "Source.DWH" }],
          });
          // Names a purpose Immuta does not have: refused (400) after the policy was created.
          new Project(s, "legal-review", {
            projectKey: "legal-review",
            name: "Legal review",
            purposes: ["Counsel"],
          });
        },
      }),
    );
    const failed = await stack.apply({ expectFailure: true });
    expect(failed.output).toMatch(/project "legal-review"/);
    expect(await stack.keys("policy")).toContain("temp-open-access");
    stack.newRequests();

    stack.synth(governance());
    await stack.apply();
    // The refused project's instance is tainted: Terraform would drop it without its DELETE, so
    // the confirm step deletes it (Immuta never had it: 404, which counts as deleted).
    expect(calls(stack.newRequests()).sort()).toEqual([
      "DELETE policy temp-open-access",
      "DELETE project legal-review",
    ]);
    expect(await stack.keys("policy")).toEqual(["mask-pii"]);
    expect(await stack.keys("project")).toEqual(["fraud"]);
    const plan = await stack.terraform("plan", "-detailed-exitcode", "-input=false");
    expect(plan.code).toBe(0);
    expect((await stack.cli("drift", "--stack-dir", ".")).code).toBe(0);
  });

  it("C14: an object whose update failed is DELETEd once it leaves the code, and by destroy", async () => {
    // Terraform keeps such an object as a tainted instance (the new payload's step failed) and a
    // deposed one (the payload before): it runs the DELETE step of neither.
    stack = await GovernanceStack.start({ dataDir: dataDir() });
    stack.synth(governance());
    await stack.apply();
    const failUpdates = (key: string) =>
      stack.restartServer({
        dataDir: dataDir(),
        faults: [{ status: 500, times: 1, method: "POST", kind: "purpose", key }],
      });
    await failUpdates("Marketing");
    stack.synth(governance({ descriptions: "v2" }));
    const failed = await stack.apply({ expectFailure: true });
    expect(failed.output).toMatch(/purpose "Marketing"/);
    expect(stack.stateText()).toMatch(/"status": "tainted"/);
    const drift = await stack.cli("drift", "--stack-dir", ".");
    expect(drift.stdout).toContain(
      'note: purpose "Marketing" failed at its last deploy; the next one applies it again',
    );
    stack.newRequests();

    stack.synth(governance({ descriptions: "v2", without: ["Marketing"] }));
    const removed = await stack.apply();
    expect(removed.output).toMatch(/confirm: purpose "Marketing": deleted\n/);
    expect(calls(stack.newRequests())).toContain("DELETE purpose Marketing");
    expect(await stack.keys("purpose")).not.toContain("Marketing");
    const plan = await stack.terraform("plan", "-detailed-exitcode", "-input=false");
    expect(plan.code).toBe(0);

    // Destroy: Legal's update fails, then the stack is destroyed.
    await failUpdates("Legal");
    stack.synth(
      governance({
        without: ["Marketing", "Legal"],
        descriptions: "v3",
        extra: (s) => new Purpose(s, "legal", { name: "Legal", description: "changed" }),
      }),
    );
    expect((await stack.apply({ expectFailure: true })).output).toMatch(/purpose "Legal"/);
    const destroyed = await stack.terraform("destroy", "-auto-approve", "-input=false");
    expect(destroyed.code).toBe(0);
    for (const kind of ["purpose", "data", "project", "policy"] as const) {
      expect(await stack.keys(kind)).toEqual([]);
    }
  });

  describe("C15: a deploy killed (SIGKILL of its process group) while a request is in flight", () => {
    /**
     * Deploys `to` with `held` held by the server until the process group is killed (and then
     * dropped, never processed), once Terraform has saved its instance: a request another
     * object's completion made it persist.
     */
    async function killedDeploy(
      to: Variant,
      held: { method: "POST" | "DELETE"; kind: "purpose"; key: string },
      savedWhen: (state: string) => boolean,
    ): Promise<void> {
      stack.synth(governance(to));
      const deploy = await stack.startApply();
      await eventually(
        () => stack.server.requests().some((r) => r.method === held.method && r.key === held.key),
        `${held.method} ${held.key} to arrive`,
      );
      await eventually(() => savedWhen(stack.stateText()), "the state to hold it");
      deploy.kill();
      await deploy.killed;
    }

    async function expectConverged(variant: Variant): Promise<void> {
      stack.synth(governance(variant));
      await stack.apply();
      const plan = await stack.terraform("plan", "-detailed-exitcode", "-input=false");
      expect(plan.code).toBe(0);
      expect(await purposes(stack)).toEqual(expected(variant));
      expect(await stack.keys("project")).toEqual(["fraud"]);
      expect(await stack.keys("policy")).toEqual(["mask-pii"]);
    }

    function expected(variant: Variant): string[] {
      const v = variant.descriptions ?? "v1";
      return [
        ...(variant.without?.includes("Legal") ? [] : ["Legal: "]),
        ...(variant.without?.includes("Marketing") ? [] : [`Marketing: Marketing ${v}`]),
        `Research: Research ${v}`,
      ];
    }

    it("create: the next plain deploy sends what the killed one never did", async () => {
      stack = await GovernanceStack.start({
        faults: [
          {
            method: "POST",
            kind: "purpose",
            key: "Research",
            delayMs: 60_000,
            drop: true,
            times: 1,
          },
          { method: "POST", kind: "purpose", key: "Marketing", delayMs: 1_500, times: 1 },
        ],
      });
      await killedDeploy({}, { method: "POST", kind: "purpose", key: "Research" }, (s) =>
        s.includes('"index_key": "Research"'),
      );
      expect(await stack.keys("purpose")).not.toContain("Research");
      await expectConverged({});
    });

    /** A deployed stack whose server then holds `held`, keeping what Immuta holds. */
    async function deployedThenHolding(faults: Fault[]): Promise<void> {
      stack = await GovernanceStack.start({ dataDir: dataDir() });
      stack.synth(governance());
      await stack.apply();
      await stack.restartServer({ dataDir: dataDir(), faults });
    }

    it("update: the next plain deploy sends the payload the killed one never did", async () => {
      await deployedThenHolding([
        { method: "POST", kind: "purpose", key: "Research", delayMs: 60_000, drop: true, times: 1 },
        { method: "POST", kind: "purpose", key: "Marketing", delayMs: 1_500, times: 1 },
      ]);
      await killedDeploy(
        { descriptions: "v2" },
        { method: "POST", kind: "purpose", key: "Research" },
        (s) => s.includes("Research v2"),
      );
      expect(await purposes(stack)).toContain("Research: Research v1");
      await expectConverged({ descriptions: "v2" });
    });

    it("delete: the next plain deploy DELETEs what the killed one did not", async () => {
      await deployedThenHolding([
        { method: "DELETE", kind: "purpose", key: "Legal", delayMs: 60_000, drop: true, times: 1 },
      ]);
      await killedDeploy(
        { without: ["Legal"] },
        { method: "DELETE", kind: "purpose", key: "Legal" },
        () => true,
      );
      expect(await stack.keys("purpose")).toContain("Legal");
      await expectConverged({ without: ["Legal"] });
    });

    it("a local state file the kill left empty: the guard stops, drift --fix restores its backup", async () => {
      stack = await GovernanceStack.start();
      stack.synth(governance());
      await stack.apply();
      stack.synth(governance({ descriptions: "v2" }));
      await stack.apply(); // the local backend keeps the state before this deploy as a backup
      stack.synth(governance({ descriptions: "v3" }));
      // What Terraform leaves when killed while rewriting the file in place.
      writeFileSync(join(stack.dir, "terraform.tfstate"), "");
      stack.newRequests();

      const stopped = await stack.apply({ expectFailure: true });
      expect(stopped.output).toMatch(/state file is empty but its backup is not/);
      expect(stopped.output).toMatch(/immuta-v2 drift --fix/);
      expect(
        stack.newRequests().filter((r) => r.method !== "DELETE" || r.query?.dryRun !== "true"),
      ).toEqual([]);

      const drift = await stack.cli("drift", "--stack-dir", ".");
      expect(drift.code).toBe(2);
      expect(drift.stdout).toMatch(/is empty but its backup is not/);
      const fixed = await stack.cli("drift", "--stack-dir", ".", "--fix");
      expect(fixed.stdout).toMatch(/fixed: the state file was empty .*restored/);
      await expectConverged({ descriptions: "v3" });
    });

    it("what a deploy cannot see is reported by drift and healed by drift --fix", async () => {
      stack = await GovernanceStack.start({
        faults: [
          {
            method: "POST",
            kind: "purpose",
            key: "Research",
            delayMs: 60_000,
            drop: true,
            times: 1,
          },
          { method: "POST", kind: "purpose", key: "Marketing", delayMs: 1_500, times: 1 },
        ],
      });
      await killedDeploy({}, { method: "POST", kind: "purpose", key: "Research" }, (s) =>
        s.includes('"index_key": "Research"'),
      );
      const drift = await stack.cli("drift", "--stack-dir", ".");
      expect(drift.code).toBe(2);
      expect(drift.stdout).toMatch(/purpose "Research": would be created/);
      const fixed = await stack.cli("drift", "--stack-dir", ".", "--fix");
      expect(fixed.stdout).toMatch(/fixed: purpose "Research": created/);
      expect((await stack.cli("drift", "--stack-dir", ".")).code).toBe(0);
      await expectConverged({});
    });
  });
});
