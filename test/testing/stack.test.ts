/**
 * Reading a stack for simulation: a construct tree (tokens resolved as synthesis resolves them),
 * a synthesized stack directory (the same answers), or payloads; values known only at apply time,
 * several tenants, catalogs from files, and personas compiled once.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Lazy, TerraformStack } from "cdktf";
import { ImmutaProvider, TerraformData } from "../../providers";
import { compileTenant, tenantFromPayloads } from "../../src/access";
import { GlobalPolicy, Purpose } from "../../src/constructs";
import { ValidationError } from "../../src/errors";
import type { AnyPayload } from "../../src/payload/types";
import { AccessSimulation, compileStack, simulateAccess } from "../../src/testing";
import { objectsOfConstructs } from "../../src/testing/read-constructs";
import { synthStack } from "../helpers/synth";
import { CATALOG, CONNECTION, governance, stackWith, testApp, warehouse } from "./support";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "access-testing-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const visible = (sim: AccessSimulation) =>
  sim.dataSources.filter((d) => d.visible).map((d) => d.name);

/** A value Terraform knows only at apply time: another resource's output. */
const applyTime = (stack: TerraformStack, id: string) =>
  new TerraformData(stack, id, { input: "x" }).getStringAttribute("output");

describe("a construct tree", () => {
  it("reads a token that synthesis resolves to a literal as that literal", () => {
    const stack = stackWith((s) => {
      warehouse(s);
      new GlobalPolicy(s, "lazy-subscribe", {
        policyKey: "lazy-subscribe",
        name: "Subscribe, to a group known at synth",
        type: "subscription",
        actions: {
          type: "entitlements",
          entitlements: { groups: [Lazy.stringValue({ produce: () => "Analysts" })] },
          automaticSubscription: true,
        },
      });
    });
    const sim = simulateAccess(stack, { groups: ["Analysts"] }, { catalog: CATALOG });
    expect(sim.skipped).toEqual([]);
    expect(visible(sim)).toEqual(["hr.salaries", "public.customers", "public.orders"]);
  });

  it("reads a project's data sources named by dataSourceName()", () => {
    const sim = simulateAccess(
      stackWith(governance),
      { groups: ["Analysts"], project: "orders-project" },
      { catalog: CATALOG },
    );
    expect(sim.user.project?.datasources).toEqual(["public.orders"]);
    expect(visible(sim)).toEqual(["public.orders"]);
    expect(sim.dataSource("public.customers")?.why).toContain("not in project orders-project");
  });

  it("refuses an object whose values the simulator needs are known only at apply time", () => {
    const stack = stackWith((s) => {
      warehouse(s, { connection: { ...CONNECTION, hostname: applyTime(s, "host") } });
    });
    let thrown: unknown;
    try {
      simulateAccess(stack, {}, { catalog: CATALOG });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as Error).message).toBe(
      "access simulation of governance: 1 problem\n" +
        "  governance/warehouse: connection.hostname: known only at apply time (a value from " +
        'another resource), so the simulator cannot say what data source connection "acme-warehouse" does; ' +
        'make it a literal, or simulate without the object (unresolved: "skip", or --skip-unresolved)',
    );
  });

  it('with unresolved: "skip", leaves such an object out and lists it', () => {
    const stack = stackWith((s, provider) => {
      governance(s, provider);
      new GlobalPolicy(s, "late-policy", {
        policyKey: "late-policy",
        name: "Late",
        type: "subscription",
        actions: { type: "anyone" },
        circumstances: [{ type: "tags", tag: applyTime(s, "tag") }],
      });
    });
    const sim = simulateAccess(stack, {}, { catalog: CATALOG, unresolved: "skip" });
    expect(sim.skipped).toEqual([
      {
        kind: "policy",
        key: "late-policy",
        where: "governance/late-policy",
        fields: ["circumstances[0].tag"],
        why:
          "circumstances[0].tag is known only at apply time (from another resource), and the " +
          "simulator needs it to say what the global policy does",
      },
    ]);
    // Left out: the "anyone" policy would otherwise have let everyone subscribe.
    expect(sim.dataSource("public.orders")?.subscription.access).toBe("denied");
  });

  it("simulates an object whose apply-time values are in fields the simulator never reads", () => {
    const stack = stackWith((s, provider) => {
      governance(s, provider);
      new Purpose(s, "marketing", {
        name: "Marketing",
        description: applyTime(s, "description"),
      });
    });
    const input = stackWith((s) => {
      warehouse(s, {
        connection: { ...CONNECTION, password: applyTime(s, "password") },
        owners: [{ type: "user", name: "owner", iam: applyTime(s, "iam") }],
      });
    });
    expect(simulateAccess(stack, {}, { catalog: CATALOG }).skipped).toEqual([]);
    const sim = simulateAccess(input, {}, { catalog: CATALOG });
    expect(sim.dataSources.map((d) => d.name)).toEqual([
      "hr.salaries",
      "public.customers",
      "public.orders",
    ]);
  });

  it("needs the tenant named when the stack has several, by provider or prefix", () => {
    const app = testApp();
    const stack = new TerraformStack(app, "two");
    const prod = new ImmutaProvider(stack, "prod");
    const staging = new ImmutaProvider(stack, "staging");
    warehouse(stack, {}, prod);
    new Purpose(stack, "research", { name: "Research", provider: staging });
    expect(() => simulateAccess(stack, {}, { catalog: CATALOG })).toThrow(
      "access simulation of two: 1 problem\n" +
        "  tenant: required: the stack manages 2 tenants (prod, staging) and a user's access is per tenant",
    );
    expect(simulateAccess(stack, {}, { catalog: CATALOG, tenant: prod }).dataSources).toHaveLength(
      3,
    );
    expect(
      simulateAccess(stack, {}, { catalog: CATALOG, tenant: "staging" }).dataSources,
    ).toHaveLength(0);
    expect(() => simulateAccess(stack, {}, { tenant: "test" })).toThrow(
      'tenant: no tenant "test" in the stack (it has prod, staging)',
    );
  });

  it("says when the tree holds no Immuta objects", () => {
    const stack = new TerraformStack(testApp(), "empty");
    expect(() => simulateAccess(stack, {})).toThrow(
      "access simulation of empty: it holds no Immuta objects (DataSource, GlobalPolicy, Project, Purpose); pass the stack that defines them",
    );
  });
});

describe("a catalog file", () => {
  it("is read from a path, YAML or JSON", () => {
    const dir = tempDir();
    const yaml = join(dir, "catalog.yaml");
    writeFileSync(
      yaml,
      `connections:\n  - hostname: ${CATALOG.connections[0].hostname}\n    database: ANALYTICS\n` +
        "    schemas:\n      public:\n        customers: [id, email, name, country]\n" +
        "        orders: [id, customer_id, amount]\n      hr:\n        salaries: [id, employee, salary]\n",
    );
    const json = join(dir, "catalog.json");
    writeFileSync(json, JSON.stringify(CATALOG));
    const stack = stackWith(governance);
    const expected = JSON.stringify(
      simulateAccess(stack, { groups: ["Analysts"] }, { catalog: CATALOG }),
    );
    for (const file of [yaml, json]) {
      expect(
        JSON.stringify(simulateAccess(stack, { groups: ["Analysts"] }, { catalog: file })),
      ).toBe(expected);
    }
  });

  it("names the file and the problem when it cannot be used", () => {
    const dir = tempDir();
    const bad = join(dir, "catalog.yaml");
    writeFileSync(bad, "connections:\n  - hostname: h\n");
    const stack = stackWith(governance);
    expect(() => simulateAccess(stack, {}, { catalog: bad })).toThrow(
      `${bad}: not a valid catalog:\n  connections[0].database: required: a non-empty string`,
    );
    expect(() => simulateAccess(stack, {}, { catalog: join(dir, "catalog.txt") })).toThrow(
      "expected a .yaml, .yml or .json file",
    );
    expect(() => simulateAccess(stack, {}, { catalog: join(dir, "missing.json") })).toThrow(
      `${join(dir, "missing.json")}: cannot read: ENOENT`,
    );
  });
});

describe("a synthesized stack directory", () => {
  it("gives the answers the construct tree gives", () => {
    const outdir = tempDir();
    const { dir } = synthStack((s, p) => governance(s, p!), {}, outdir);
    const tree = stackWith(governance);
    for (const user of [
      { groups: ["Analysts"] },
      { groups: ["Analysts", "Privacy Officers"], project: "orders-project" },
      {},
    ]) {
      const fromDir = simulateAccess(dir, user, { catalog: CATALOG, detail: "full" });
      const fromTree = simulateAccess(tree, user, { catalog: CATALOG, detail: "full" });
      expect(JSON.stringify(fromDir)).toBe(JSON.stringify(fromTree));
    }
  });

  it("names an object by its Terraform address when a value is known only at apply time", () => {
    const outdir = tempDir();
    const { dir } = synthStack(
      (s) => void warehouse(s, { connection: { ...CONNECTION, hostname: applyTime(s, "host") } }),
      {},
      outdir,
    );
    expect(() => simulateAccess(dir, {}, { catalog: CATALOG })).toThrow(
      '  terraform_data.immuta_data["acme-warehouse"]: connection.hostname: known only at apply time',
    );
  });
});

describe("compiled once, simulated per persona", () => {
  it("answers each persona as simulateAccess does, named as given", () => {
    const stack = stackWith(governance);
    const tenant = compileStack(stack, { catalog: CATALOG });
    const analyst = tenant.simulate({ name: "analyst", groups: ["Analysts"] });
    expect(analyst.persona).toBe("analyst");
    expect(JSON.stringify(analyst)).toBe(
      JSON.stringify(
        simulateAccess(stack, { name: "analyst", groups: ["Analysts"] }, { catalog: CATALOG }),
      ),
    );
    expect(Object.keys(JSON.parse(JSON.stringify(analyst)))).toEqual([
      "user",
      "dataSources",
      "warnings",
      "skipped",
      "persona",
    ]);
    expect(tenant.simulate({ groups: ["Analysts"], purposes: ["Research"] }).persona).toBe(
      "a user in group Analysts, acting under Research",
    );
    expect(compileStack(tenant)).toBe(tenant);
  });

  it("takes payloads and compiled tenants too", () => {
    const stack = stackWith(governance);
    const expected = simulateAccess(stack, { groups: ["Analysts"] }, { catalog: CATALOG });
    const input = tenantFromPayloads(
      objectsOfConstructs(stack).map((o) => o.payload as AnyPayload),
    );
    const fromInput = simulateAccess(input, { groups: ["Analysts"] }, { catalog: CATALOG });
    const fromCompiled = simulateAccess(compileTenant({ ...input, catalog: CATALOG }), {
      groups: ["Analysts"],
    });
    expect(JSON.stringify(fromInput)).toBe(JSON.stringify(expected));
    expect(JSON.stringify(fromCompiled)).toBe(JSON.stringify(expected));
  });
});
