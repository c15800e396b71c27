/**
 * Issue 16.1: the state in a shared backend, Terraform's own `pg` (PostgreSQL), as a team keeps
 * it. Every step that reads the state (the guard's and confirm steps' `terraform state pull`, the
 * C16 rename, `immuta-v2 plan` and `drift`) reads it from there: no local state file exists, and
 * if a step read nothing, the guard would refuse the stack's own keys and the confirm steps would
 * re-check every object.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TerraformStack } from "cdktf";
import { DataSource, GlobalPolicy, PayloadDirectory, Project, Purpose, Secret } from "../../../src";
import { MASK_PII, SNOWFLAKE } from "../../payload/fixtures";
import { describeWithPostgres, dropSchemas, uniqueSchema } from "../../helpers/postgres";
import { startCommand } from "../../helpers/cdktf-app";
import { API_KEY, GovernanceStack, calls, eventually } from "../harness";
import { terraformBinary, terraformEnv } from "../terraform";

jest.setTimeout(240_000);

interface Variant {
  readonly research?: string;
  readonly legal?: boolean;
  readonly marketing?: boolean;
  readonly connectionKey?: string;
}

function governance(variant: Variant = {}) {
  return (stack: TerraformStack) => {
    const research = new Purpose(stack, "research", {
      name: "Research",
      description: variant.research ?? "v1",
    });
    const marketing =
      variant.marketing === false
        ? undefined
        : new Purpose(stack, "marketing", { name: "Marketing" });
    if (variant.legal) new Purpose(stack, "legal", { name: "Legal" });
    const dwh = new DataSource(stack, "dwh", {
      connectionKey: variant.connectionKey ?? "dwh",
      connection: { ...SNOWFLAKE, password: Secret.fromEnv("DWH_PASSWORD") },
      sources: [{ table: "customers", schema: "public" }],
    });
    new Project(stack, "fraud", {
      projectKey: "fraud",
      name: "Fraud",
      purposes: marketing ? [research, marketing] : [research],
      datasources: [dwh.dataSourceName("public", "customers")],
    });
    new GlobalPolicy(stack, "mask", MASK_PII);
  };
}

/** What a deploy POSTed or DELETEd, without the guard's and confirm steps' dry runs. */
const writes = (all: string[]) => all.filter((c) => !c.includes("?"));

describeWithPostgres("state in PostgreSQL (the pg backend)", (connStr) => {
  const schemas: string[] = [];
  let stack: GovernanceStack;
  let dataDir: string;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "immuta-pg-data-"));
    stack = await GovernanceStack.start({ dataDir });
    const schema = uniqueSchema("pg");
    schemas.push(schema);
    stack.usePgBackend(connStr, schema);
  });
  afterEach(async () => {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterAll(() => dropSchemas(connStr, schemas));

  it("deploys, changes and removes objects with every state read going to PostgreSQL", async () => {
    stack.synth(governance());
    await stack.apply();
    expect(writes(calls(stack.newRequests()))).toEqual([
      "POST data dwh",
      "POST policy mask-pii",
      "POST project fraud",
      "POST purpose Marketing",
      "POST purpose Research",
    ]);
    expect(readdirSync(stack.dir).filter((f) => f.includes("tfstate"))).toEqual([]);
    expect((await stack.pulledState()).resources?.length).toBeGreaterThan(0);

    // A new purpose and a changed one: the guard asks about Legal alone (it read the other keys
    // from the state), and the confirm step finds Marketing in the recorded confirmation.
    stack.synth(governance({ research: "v2", legal: true }));
    await stack.apply();
    expect(calls(stack.newRequests())).toEqual([
      "DELETE? purpose Legal",
      "POST purpose Legal",
      "POST purpose Research",
    ]);

    // A removed purpose is DELETEd once the project no longer names it.
    stack.synth(governance({ research: "v2", legal: true, marketing: false }));
    await stack.apply();
    expect(calls(stack.newRequests())).toEqual(["DELETE purpose Marketing", "POST project fraud"]);

    const plan = await stack.terraform("plan", "-detailed-exitcode", "-input=false");
    expect(plan.code).toBe(0);
    expect(existsSync(join(stack.dir, "terraform.tfstate"))).toBe(false);
  });

  it("immuta-v2 plan and drift read what was deployed from PostgreSQL", async () => {
    stack.synth(governance());
    await stack.apply();
    stack.newRequests();

    // Without a saved plan, `plan` reads the state to tell new objects from changed ones and to
    // find deletions.
    stack.synth(governance({ research: "v2", marketing: false }));
    const review = await stack.cli("plan", "--stack-dir", ".");
    expect(review.stderr).not.toMatch(/not checked|cannot read/);
    expect(review.stdout).toMatch(/purpose "Research"/);
    expect(review.stdout).toMatch(/purpose "Marketing"/);
    expect(review.code).toBe(2);

    // `drift` compares what the state records as applied with what Immuta holds.
    stack.synth(governance());
    await postPurpose(stack, { name: "Research", description: "changed by hand" });
    const drift = await stack.cli("drift", "--stack-dir", ".");
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/purpose "Research"/);
    const fixed = await stack.cli("drift", "--stack-dir", ".", "--fix");
    expect(fixed.code).toBe(0);
    expect(await stack.get("purpose", "Research")).toMatchObject({ description: "v1" });
    expect((await stack.cli("drift", "--stack-dir", ".")).code).toBe(0);
  });

  it("C15: a cancelled deploy (SIGTERM of its process group) leaves a state the next deploy converges from", async () => {
    // The Research POST is slow, so the runner's cancellation comes while it is in flight.
    await stack.restartServer({
      dataDir,
      faults: [{ method: "POST", kind: "purpose", key: "Research", delayMs: 5_000, times: 1 }],
    });
    stack.synth(governance());
    await stack.terraform("version"); // initializes the stack directory
    const env = terraformEnv({
      IMMUTA_URL: stack.server.url,
      IMMUTA_API_KEY: API_KEY,
      DWH_PASSWORD: "dwh-password",
    });
    const deploy = startCommand(
      terraformBinary(env),
      [`-chdir=${stack.dir}`, "apply", "-auto-approve", "-input=false", "-no-color"],
      stack.dir,
      env,
    );
    try {
      await eventually(
        () => stack.server.requests().some((r) => r.method === "POST" && r.key === "Research"),
        "the Research POST to arrive",
      );
      deploy.signal("SIGTERM");
      expect(await deploy.exited).not.toBe(0);
    } finally {
      deploy.stop();
    }
    // Terraform wrote what it had done to PostgreSQL on its way out.
    expect(deploy.output()).toMatch(/Interrupt received/);
    expect((await stack.pulledState()).resources?.length).toBeGreaterThan(0);
    stack.newRequests();

    await stack.apply();
    const plan = await stack.terraform("plan", "-detailed-exitcode", "-input=false");
    expect(plan.code).toBe(0);
    expect((await stack.keys("purpose")).sort()).toEqual(["Marketing", "Research"]);
    expect(await stack.keys("project")).toEqual(["fraud"]);
    expect(await stack.keys("policy")).toEqual(["mask-pii"]);
    expect((await stack.cli("drift", "--stack-dir", ".")).code).toBe(0);
  });

  it("C15: a deploy killed outright (SIGKILL) before PostgreSQL had its record converges on the next deploy", async () => {
    // Research's POST hangs until the kill; Marketing's is done by then. The pg backend writes the
    // state at most every 20 s during an apply, so Marketing is in Immuta and not in the state.
    await stack.restartServer({
      dataDir,
      faults: [
        { method: "POST", kind: "purpose", key: "Research", delayMs: 60_000, drop: true, times: 1 },
      ],
    });
    stack.synth(governance());
    const deploy = await stack.startApply();
    await eventually(
      () =>
        stack.server.requests().some((r) => r.method === "POST" && r.key === "Research") &&
        stack.server
          .requests()
          .some((r) => r.method === "POST" && r.key === "Marketing" && r.status === 200),
      "Marketing created while Research's POST hangs",
    );
    deploy.kill();
    await deploy.killed;
    const recorded = JSON.stringify(await stack.pulledState());
    expect(await stack.keys("purpose")).toContain("Marketing");
    stack.newRequests();

    // The guard finds Marketing held exactly as declared: the stack's own, taken on (asked with
    // a dry run when, as usual, the state lost it; a slow machine may have written it in time).
    await stack.apply();
    const asked = calls(stack.newRequests()).includes("POST? purpose Marketing");
    expect(asked).toBe(!recorded.includes('"index_key":"Marketing"'));
    const plan = await stack.terraform("plan", "-detailed-exitcode", "-input=false");
    expect(plan.code).toBe(0);
    expect((await stack.keys("purpose")).sort()).toEqual(["Marketing", "Research"]);
    expect(await stack.keys("project")).toEqual(["fraud"]);
    expect(await stack.keys("policy")).toEqual(["mask-pii"]);
    expect((await stack.cli("drift", "--stack-dir", ".")).code).toBe(0);
  });

  it("C16: a renamed connectionKey, its old key's payload read from PostgreSQL", async () => {
    stack.synth(governance());
    await stack.apply();
    stack.newRequests();
    stack.synth(governance({ connectionKey: "warehouse" }));
    await stack.apply();
    const renamed = writes(calls(stack.newRequests()));
    expect(renamed).toContain("DELETE data dwh");
    expect(renamed).toContain("POST data warehouse");
    expect(await stack.keys("data")).toEqual(["warehouse"]);
    expect(await stack.get("project", "fraud")).toMatchObject({
      datasources: ["public.customers"],
    });
    const plan = await stack.terraform("plan", "-detailed-exitcode", "-input=false");
    expect(plan.code).toBe(0);
  });

  it("takes over what immuta-v2 import brought into code, then manages it like its own", async () => {
    const work = mkdtempSync(join(tmpdir(), "immuta-pg-import-"));
    try {
      await postPurpose(stack, { name: "Existing", description: "made by hand" });
      const imported = await stack.cli(
        "import",
        "--from",
        stack.server.url,
        "--out",
        join(work, "governance"),
        "--api-key-env",
        "IMMUTA_API_KEY",
        "--auth-header",
        "raw",
      );
      expect(imported.stderr).toBe("");
      expect(imported.code).toBe(0);
      stack.newRequests();

      const build = (description?: string) => (s: TerraformStack) => {
        new PayloadDirectory(s, "imported", { path: join(work, "governance"), adopt: true });
        if (description) {
          new Purpose(s, "extra", { name: "Extra", description });
        }
      };
      stack.synth(build());
      await stack.apply();
      expect(writes(calls(stack.newRequests()))).toEqual(["POST purpose Existing"]);
      // From now on it is the stack's: a change elsewhere asks the guard about the new key only.
      stack.synth(build("new"));
      await stack.apply();
      expect(calls(stack.newRequests())).toEqual(["DELETE? purpose Extra", "POST purpose Extra"]);
      expect((await stack.terraform("plan", "-detailed-exitcode", "-input=false")).code).toBe(0);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

async function postPurpose(stack: GovernanceStack, body: object): Promise<void> {
  const response = await fetch(`${stack.server.url}/api/v2/purpose`, {
    method: "POST",
    headers: { authorization: API_KEY, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}
