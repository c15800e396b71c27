/**
 * C16 of the convergence specification (docs/convergence.md): a renamed `connectionKey` deploys
 * in one go. Immuta allows one key per connection, so the old key is deleted before the new one
 * is created, and the projects that named its data sources name them again afterwards.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TerraformStack } from "cdktf";
import { DataSource, Project, Purpose, Secret } from "../../src";
import { SNOWFLAKE } from "../payload/fixtures";
import { GovernanceStack, call, calls } from "./harness";

jest.setTimeout(180_000);

function governance(
  connectionKey: string,
  tables = ["customers", "orders"],
  named = ["customers"],
) {
  return (stack: TerraformStack) => {
    const research = new Purpose(stack, "research", { name: "Research" });
    const dwh = new DataSource(stack, "dwh", {
      connectionKey,
      connection: { ...SNOWFLAKE, password: Secret.fromEnv("DWH_PASSWORD") },
      sources: tables.map((table) => ({ table, schema: "public" })),
    });
    new Project(stack, "fraud", {
      projectKey: "fraud",
      name: "Fraud",
      purposes: [research],
      datasources: named.map((table) => dwh.dataSourceName("public", table)),
    });
  };
}

describe("renaming a connectionKey", () => {
  let stack: GovernanceStack;
  afterEach(() => stack.close());

  it("C16: deletes the old key first, creates the new one, and the project names its data sources again", async () => {
    stack = await GovernanceStack.start();
    stack.synth(governance("dwh"));
    await stack.apply();
    stack.newRequests();

    stack.synth(governance("dwh-prod"));
    // The review says so beforehand.
    expect((await stack.terraform("plan", "-out=plan.bin", "-input=false")).code).toBe(0);
    const shown = await stack.terraform("show", "-json", "plan.bin");
    writeFileSync(join(stack.dir, "plan.json"), shown.stdout);
    const review = await stack.cli("plan", "--stack-dir", ".", "--plan-json", "plan.json");
    expect(review.stdout).toMatch(/data source connection "dwh" is renamed "dwh-prod"/);
    expect(review.stdout).toMatch(/"dwh": would be deleted/);
    stack.newRequests();

    await stack.apply();
    const requests = stack.newRequests();
    const sent = requests
      .filter((r) => r.query?.dryRun !== "true")
      .map((r) => `${call(r)} ${r.status}`);
    // Refused while the old key holds the connection; the old key deleted; then created; the
    // project given its data source back. The old instance's own destroy step left it to the new
    // key's step, whichever Terraform ran first.
    expect(sent).toEqual([
      "POST data dwh-prod 400",
      "DELETE data dwh 200",
      "POST data dwh-prod 200",
      "POST project fraud 200",
    ]);
    expect(calls(requests.filter((r) => r.query?.dryRun === "true"))).toEqual([
      "DELETE? data dwh-prod",
    ]);
    expect(await stack.keys("data")).toEqual(["dwh-prod"]);
    expect(await stack.get("project", "fraud")).toMatchObject({
      datasources: ["public.customers"],
    });
    const plan = await stack.terraform("plan", "-detailed-exitcode", "-input=false");
    expect(plan.code).toBe(0);
    expect((await stack.cli("drift", "--stack-dir", ".")).code).toBe(0);
  });

  it("destroy deletes the old key of a rename never deployed (its own step leaves it to the new key)", async () => {
    stack = await GovernanceStack.start();
    stack.synth(governance("dwh"));
    await stack.apply();
    stack.synth(governance("dwh-prod"));
    const destroyed = await stack.terraform("destroy", "-auto-approve", "-input=false");
    expect(destroyed.code).toBe(0);
    expect(destroyed.output).toMatch(/confirm: data source connection "dwh": deleted/);
    for (const kind of ["data", "project", "purpose"] as const) {
      expect(await stack.keys(kind)).toEqual([]);
    }
  });

  it("a project the same commit changes is applied by its own step, not restored as it was", async () => {
    stack = await GovernanceStack.start();
    stack.synth(governance("dwh", ["customers", "orders"], ["customers", "orders"]));
    await stack.apply();
    // Renamed, and orders dropped from the connection and the project: the project as it was
    // names a data source the new connection does not have.
    stack.synth(governance("dwh-prod", ["customers"], ["customers"]));
    const applied = await stack.apply();
    expect(applied.output).not.toMatch(/no data source named/);
    expect(await stack.get("project", "fraud")).toMatchObject({
      datasources: ["public.customers"],
    });
    const plan = await stack.terraform("plan", "-detailed-exitcode", "-input=false");
    expect(plan.code).toBe(0);
  });

  it("a new connection whose data source names a leaving one holds: the leaving one deleted first", async () => {
    const connection = (connectionKey: string, hostname: string) => (s: TerraformStack) =>
      new DataSource(s, "dwh", {
        connectionKey,
        connection: { ...SNOWFLAKE, hostname, password: Secret.fromEnv("DWH_PASSWORD") },
        sources: [{ table: "customers", schema: "public" }],
      });
    stack = await GovernanceStack.start();
    stack.synth(connection("dwh", SNOWFLAKE.hostname));
    await stack.apply();
    // Another host, the same table: its data source would be named public.customers too.
    stack.synth(connection("warehouse", "dwh.internal.example"));
    const applied = await stack.apply();
    expect(applied.output).toMatch(
      /data source connection "dwh": deleted first: its data sources hold names "warehouse" takes/,
    );
    expect(await stack.keys("data")).toEqual(["warehouse"]);
    const plan = await stack.terraform("plan", "-detailed-exitcode", "-input=false");
    expect(plan.code).toBe(0);
  });
});
