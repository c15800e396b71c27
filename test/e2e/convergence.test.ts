/**
 * C1-C13 of ../shared/spec/convergence.md, one by one, with the real terraform binary against the
 * embedded server: what Immuta must see when the user deploys, changes, removes and destroys.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DataSource,
  GlobalPolicy,
  Project,
  Purpose,
  Secret,
  TerraformData,
  type DataSourceProps,
} from "../../src";
import { DEFAULT_CATALOG } from "../../src/server";
import { MASK_PII, SNOWFLAKE } from "../payload/fixtures";
import { API_KEY, GovernanceStack, call, calls, type StackBuilder } from "./harness";

jest.setTimeout(180_000);

const dwh: DataSourceProps = {
  connectionKey: "dwh",
  connection: { ...SNOWFLAKE, password: Secret.fromEnv("DWH_PASSWORD") },
  options: { hardDelete: false, tableTags: ["Source.DWH"] },
  sources: [
    {
      table: "customers",
      schema: "public",
      tags: { columns: [{ columnName: "email", tags: ["PII"] }] },
    },
    { table: "orders", schema: "public" },
  ],
};

interface Variant {
  purposeDescription?: string;
  policyKey?: string;
  withMarketing?: boolean;
}

/** A small governance stack whose parts the tests vary, as commits would. */
function governance(variant: Variant = {}): StackBuilder {
  return (stack) => {
    const research = new Purpose(stack, "research", {
      name: "Research",
      description: variant.purposeDescription ?? "For research",
    });
    const marketing =
      variant.withMarketing !== false
        ? new Purpose(stack, "marketing", { name: "Marketing" })
        : undefined;
    const source = new DataSource(stack, "dwh", dwh);
    new Project(stack, "fraud", {
      projectKey: "fraud",
      name: "Fraud",
      purposes: marketing ? [research, marketing] : [research],
      datasources: [source.dataSourceName("public", "customers")],
    });
    new GlobalPolicy(stack, "mask", { ...MASK_PII, policyKey: variant.policyKey ?? "mask-pii" });
  };
}

describe("convergence (terraform against the embedded server)", () => {
  let stack: GovernanceStack;
  beforeEach(async () => {
    stack = await GovernanceStack.start();
  });
  afterEach(() => stack.close());

  it("C1: a new stack is one POST per object, dependencies first, after the guard's checks", async () => {
    stack.synth(governance());
    await stack.apply();
    const requests = stack.newRequests();
    expect(calls(requests)).toEqual([
      "DELETE? data dwh",
      "DELETE? policy mask-pii",
      "DELETE? project fraud",
      "DELETE? purpose Marketing",
      "DELETE? purpose Research",
      "POST data dwh",
      "POST policy mask-pii",
      "POST project fraud",
      "POST purpose Marketing",
      "POST purpose Research",
    ]);
    // The guard asks about every new key before anything is written.
    const firstPost = requests.findIndex((r) => r.method === "POST");
    expect(requests.slice(0, firstPost).map(call)).toHaveLength(5);
    const posts = requests.filter((r) => r.method === "POST");
    expect(posts.every((r) => r.status === 200)).toBe(true);
    const order = posts.map((r) => r.key);
    expect(order.indexOf("fraud")).toBeGreaterThan(order.indexOf("Research"));
    expect(order.indexOf("fraud")).toBeGreaterThan(order.indexOf("Marketing"));
    expect(order.indexOf("fraud")).toBeGreaterThan(order.indexOf("dwh"));
    expect(await stack.get("project", "fraud")).toMatchObject({
      purposes: ["Research", "Marketing"],
      datasources: ["public.customers"],
    });
  });

  it("C2: deploying again with nothing changed sends nothing, and the plan is empty", async () => {
    stack.synth(governance());
    await stack.apply();
    stack.newRequests();
    stack.synth(governance());
    await stack.apply();
    expect(stack.newRequests()).toEqual([]);
    const plan = await stack.terraform("plan", "-detailed-exitcode", "-input=false");
    expect(plan.code).toBe(0);
    expect(stack.newRequests()).toEqual([]);
  });

  it("C3: one changed field is one POST, for that object, and no DELETE", async () => {
    stack.synth(governance());
    await stack.apply();
    stack.newRequests();
    stack.synth(governance({ purposeDescription: "For science" }));
    await stack.apply();
    expect(calls(stack.newRequests())).toEqual(["POST purpose Research"]);
    expect(await stack.get("purpose", "Research")).toMatchObject({ description: "For science" });
  });

  it("C4: a changed key DELETEs the old key and POSTs the new one", async () => {
    stack.synth(governance());
    await stack.apply();
    stack.newRequests();
    stack.synth(governance({ policyKey: "mask-pii-v2" }));
    await stack.apply();
    const requests = stack.newRequests();
    expect(calls(requests)).toEqual([
      "DELETE policy mask-pii",
      "DELETE? policy mask-pii-v2",
      "POST policy mask-pii-v2",
    ]);
    expect(call(requests[0])).toBe("DELETE? policy mask-pii-v2");
    expect(await stack.keys("policy")).toEqual(["mask-pii-v2"]);
  });

  it("C5: a removed construct is DELETEd in the same deploy, after the project stops naming it", async () => {
    stack.synth(governance());
    await stack.apply();
    stack.newRequests();
    stack.synth(governance({ withMarketing: false }));
    await stack.apply();
    const requests = stack.newRequests();
    expect(requests.map((r) => `${r.method} ${r.kind} ${r.key} ${r.status}`)).toEqual([
      "POST project fraud 200",
      "DELETE purpose Marketing 200",
    ]);
    expect(await stack.keys("purpose")).toEqual(["Research"]);
  });

  it("C6: destroy DELETEs every object of the stack, dependents first", async () => {
    stack.synth(governance());
    await stack.apply();
    stack.newRequests();
    await stack.destroy();
    const requests = stack.newRequests();
    expect(calls(requests)).toEqual([
      "DELETE data dwh",
      "DELETE policy mask-pii",
      "DELETE project fraud",
      "DELETE purpose Marketing",
      "DELETE purpose Research",
    ]);
    const order = requests.map((r) => r.key);
    for (const used of ["dwh", "Research", "Marketing"]) {
      expect(order.indexOf(used)).toBeGreaterThan(order.indexOf("fraud"));
    }
    expect(requests.every((r) => r.status === 200)).toBe(true);
    for (const kind of ["data", "policy", "project", "purpose"])
      expect(await stack.keys(kind)).toEqual([]);
  });

  describe("C7: a failing server", () => {
    it("fails the deploy naming the object and the server's message; the next deploy retries it alone", async () => {
      await stack.close();
      stack = await GovernanceStack.start({
        faults: [{ status: 500, times: 1, method: "POST", kind: "purpose", key: "Research" }],
      });
      stack.synth(governance());
      const failed = await stack.apply({ expectFailure: true });
      expect(failed.output).toMatch(/purpose "Research"/);
      expect(failed.output).toMatch(/500/);
      expect(failed.output).toMatch(/Injected fault/);
      const first = stack.newRequests().filter((r) => r.query?.dryRun !== "true");
      // Policies and projects wait for the purposes, so they were not attempted; the rest went
      // through once.
      expect(calls(first)).toEqual([
        "POST data dwh",
        "POST purpose Marketing",
        "POST purpose Research",
      ]);

      // The failed object alone is sent again, with what waited for it. The purposes' confirm
      // step (its first run) checks Marketing with a dry run, as a killed deploy could have left
      // it unsent; the data sources' own step had run in the first deploy.
      await stack.apply();
      expect(calls(stack.newRequests())).toEqual([
        "POST policy mask-pii",
        "POST project fraud",
        "POST purpose Research",
        "POST? purpose Marketing",
      ]);
      expect(await stack.keys("purpose")).toEqual(["Marketing", "Research"]);
      await stack.apply();
      expect(stack.newRequests()).toEqual([]);
    });

    it("retries a 503 within the same deploy, transparently", async () => {
      await stack.close();
      stack = await GovernanceStack.start({
        faults: [{ status: 503, times: 2, method: "POST", kind: "policy", key: "mask-pii" }],
      });
      stack.synth(governance());
      await stack.apply();
      const policyCalls = stack
        .newRequests()
        .filter((r) => r.kind === "policy" && r.method === "POST");
      expect(policyCalls.map((r) => r.status)).toEqual([503, 503, 200]);
    });

    it("a failed DELETE fails the deploy, and the next deploy retries it", async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "immuta-data-"));
      await stack.restartServer({ dataDir });
      stack.synth(governance());
      await stack.apply();
      await stack.restartServer({
        dataDir,
        faults: [{ status: 500, times: 1, method: "DELETE", kind: "purpose", key: "Marketing" }],
      });
      stack.synth(governance({ withMarketing: false }));
      const failed = await stack.apply({ expectFailure: true });
      expect(failed.output).toMatch(/purpose "Marketing"/);
      expect(failed.output).toMatch(/Error running command 'immuta-v2 delete purpose Marketing'/);
      expect(calls(stack.newRequests())).toEqual([
        "DELETE purpose Marketing",
        "POST project fraud",
      ]);

      await stack.apply();
      expect(calls(stack.newRequests())).toEqual(["DELETE purpose Marketing"]);
      expect(await stack.keys("purpose")).toEqual(["Research"]);
      await stack.apply();
      expect(stack.newRequests()).toEqual([]);
      rmSync(dataDir, { recursive: true, force: true });
    });
  });

  it("C8: a value from another resource is resolved at apply time, and the plan says so", async () => {
    const build: StackBuilder = (s) => {
      const database = new TerraformData(s, "database", {
        input: { address: "dwh.internal.example" },
      });
      new DataSource(s, "dwh", {
        ...dwh,
        connection: { ...dwh.connection, hostname: database.getStringAttribute("output.address") },
      });
    };
    stack.synth(build);
    const plan = await stack.terraform("plan", "-input=false");
    expect(plan.output).toMatch(/hostname\s+= \(known after apply\)/);
    await stack.apply();
    expect(await stack.get("data", "dwh")).toMatchObject({
      connection: { hostname: "dwh.internal.example" },
    });
  });

  it("C9: secrets are in no synthesized file, no state, no plan output and no log", async () => {
    const password = "pw-Zq8!never-anywhere";
    stack.env = { DWH_PASSWORD: password, TF_LOG: "DEBUG" };
    stack.synth((s) => {
      new DataSource(s, "dwh", dwh);
    });
    const plan = await stack.terraform("plan", "-input=false");
    const applied = await stack.apply();
    const stored = await stack.get("data", "dwh");
    expect(stored).toMatchObject({ connection: { password: "[redacted]" } });
    const files = ["cdk.tf.json", "terraform.tfstate"].map((f) =>
      readFileSync(join(stack.dir, f), "utf8"),
    );
    for (const text of [...files, plan.output, applied.output]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(API_KEY);
    }
  });

  it("C10: a reviewer sees the changed payload fields, once, field by field", async () => {
    stack.synth(governance());
    await stack.apply();
    stack.synth(governance({ purposeDescription: "For science" }));
    const plan = await stack.terraform("plan", "-input=false");
    const changed = plan.output.split("\n").filter((line) => line.includes('"For science"'));
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/~ description\s+= "For research" -> "For science"/);
    // The purpose's instance, and the confirm step that runs after any re-created instance.
    expect(plan.output).toMatch(/Plan: 2 to add, 0 to change, 2 to destroy/);
  });

  it("C12: a connection with 5,000 tables and column tags deploys", async () => {
    await stack.close();
    const tables = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => [`table_${i}`, ["id", "email"]]),
    );
    stack = await GovernanceStack.start({
      catalog: {
        connections: [
          ...DEFAULT_CATALOG.connections,
          { hostname: "big.example", database: "WAREHOUSE", schemas: { public: tables } },
        ],
      },
    });
    stack.synth((s) => {
      new DataSource(s, "big", {
        connectionKey: "big",
        connection: { ...dwh.connection, hostname: "big.example", database: "WAREHOUSE" },
        sources: Object.keys(tables).map((table) => ({
          table,
          schema: "public",
          tags: { columns: [{ columnName: "email", tags: ["PII", "Contact.Email"] }] },
        })),
      });
    });
    await stack.apply();
    expect(calls(stack.newRequests())).toEqual(["DELETE? data big", "POST data big"]);
    const stored = (await stack.get("data", "big")) as { sources: unknown[] };
    expect(stored.sources).toHaveLength(5000);
  });

  it("C12: a payload too long for one environment string arrives whole, in chunks", async () => {
    // 40,000 characters, some of them 4 bytes in UTF-8: over one chunk, under the file threshold.
    const description = "Ω😀 ${x} ".repeat(4_000);
    stack.synth((s) => {
      new Purpose(s, "research", { name: "Research", description });
    });
    await stack.apply();
    expect(await stack.get("purpose", "Research")).toMatchObject({ description });
  });

  it("C13: ${ and %{ in a payload string arrive byte for byte", async () => {
    const description = "Costs ${amount} in %{ if eu }EUR%{ endif }, escaped $${x} and %%{y}";
    stack.synth((s) => {
      new Purpose(s, "research", { name: "Research", description });
      new GlobalPolicy(s, "rows", {
        policyKey: "rows ${region}",
        name: "Rows",
        type: "data",
        actions: [
          {
            rules: [
              {
                type: "Row Restriction by Custom Where Clause",
                config: { predicate: "region = '${user.region}'" },
              },
            ],
          },
        ],
      });
    });
    await stack.apply();
    expect(await stack.get("purpose", "Research")).toMatchObject({ description });
    expect(await stack.get("policy", "rows ${region}")).toMatchObject({
      actions: [{ rules: [{ config: { predicate: "region = '${user.region}'" } }] }],
    });
    await stack.destroy();
    expect(await stack.keys("policy")).toEqual([]);
  });
});
