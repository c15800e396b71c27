/**
 * The tenant's object blocks: one `terraform_data` block per kind with an instance per object,
 * replaced (create before destroy) when its payload changes, POSTing at create and DELETEing at
 * destroy, in the order of the kinds (../shared/spec/convergence.md, providers/carrier.ts).
 */
import { DataSource, GlobalPolicy, Project, Purpose } from "../../src";
import { TerraformData } from "../../providers";
import { KINDS_IN_ORDER } from "../../src/layout/names";
import { MASK_PII, SNOWFLAKE } from "../payload/fixtures";
import { addresses, blockOf, resourcesOf, stepOf, synthStack } from "../helpers/synth";
import { instanceContext, stepArgv } from "./step-argv";

describe("the tenant's object blocks", () => {
  it("are all four, with the guard, the confirm steps and the output, even when the stack has no object", () => {
    const { config, moved } = synthStack(() => {});
    expect(addresses(config)).toMatchSnapshot();
    for (const kind of KINDS_IN_ORDER) expect(blockOf(config, kind).for_each).toEqual({});
    // Nothing to move from 0.1.0, so no file of moved blocks.
    expect(moved).toBeUndefined();
  });

  it.each(KINDS_IN_ORDER)(
    "%s: an instance per object, replaced by a new payload (created before the old goes), its plan time kept",
    (kind) => {
      const { config } = synthStack(() => {});
      const block = blockOf(config, kind);
      // No object: the plain-text form (see "reads its instances").
      expect(block.triggers_replace).toBe("${each.value}");
      expect(block.input).toBe("${plantimestamp()}");
      expect(block.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ["input"] });
      expect(block.provisioner?.map((p) => p["local-exec"].when)).toEqual([undefined, "destroy"]);
    },
  );

  it("key their instances by the objects' keys, in order, whatever the order of the code", () => {
    const { config } = synthStack((stack) => {
      new Purpose(stack, "b", { name: "B" });
      new Purpose(stack, "a", { name: "A" });
      new Purpose(stack, "c", { name: "C" });
    });
    expect(Object.keys(blockOf(config, "purpose").for_each ?? {})).toEqual(["A", "B", "C"]);
  });

  it("reads its instances as payload text when every one is plain text, else as objects", () => {
    const { config } = synthStack((stack) => {
      new Purpose(stack, "research", { name: "Research" });
      // A data source's apply step waits for its sources (a flag): the data block holds objects.
      new DataSource(stack, "dwh", { connectionKey: "dwh", connection: SNOWFLAKE });
      // A value known only at apply: the policy block holds objects, so that the plan can show
      // which field it is (a form read either way would make the whole payload unknown).
      const db = new TerraformData(stack, "db", { input: "mask" });
      new GlobalPolicy(stack, "mask", { ...MASK_PII, name: `${db.output}` });
    });
    const locals = config.locals as Record<string, Record<string, unknown>>;
    expect(blockOf(config, "purpose").triggers_replace).toBe("${each.value}");
    expect(locals.immuta_purpose_instances).toEqual({ Research: '{"name":"Research"}' });
    for (const kind of ["data", "policy"] as const) {
      const block = blockOf(config, kind);
      expect(block.triggers_replace).toBe("${each.value.p}");
      expect(Object.values(locals[`immuta_${kind}_instances`])[0]).toMatchObject({ f: "" });
    }
    expect(stepOf(blockOf(config, "data"), "create").interpreter).toContain("each.value.a");
    expect(stepOf(blockOf(config, "purpose"), "create").interpreter).not.toContain("each.value");
  });

  it("run each step as one argv expression (no shell), labelled with what it does", () => {
    const { config } = synthStack((stack) => {
      new DataSource(stack, "dwh", { connectionKey: "dwh", connection: SNOWFLAKE });
    });
    const block = blockOf(config, "data");
    for (const when of ["create", "destroy"] as const) {
      const step = stepOf(block, when);
      expect(typeof step.interpreter).toBe("string");
      expect(step.interpreter).toMatch(/^\$\{concat\(\["node", ".*"\], .*\)\}$/);
    }
    const context = instanceContext("dwh", { f: "", a: ["--wait=300"] });
    expect(stepOf(block, "create").command).toBe("immuta-v2 apply data ${each.key}");
    expect(stepArgv(stepOf(block, "create"), context).slice(-2)).toEqual([
      "--label",
      "immuta-v2 apply data dwh",
    ]);
    expect(stepArgv(stepOf(block, "destroy"), context).slice(-2)).toEqual([
      "--label",
      "immuta-v2 delete data dwh",
    ]);
  });

  it("wait for the guard, and for the confirm steps of the kinds their objects may name", () => {
    const { config } = synthStack(() => {});
    const dependencies = Object.fromEntries(
      KINDS_IN_ORDER.map((kind) => [kind, blockOf(config, kind).depends_on]),
    );
    expect(dependencies).toEqual({
      purpose: ["terraform_data.immuta_guard"],
      data: ["terraform_data.immuta_guard"],
      // A purpose restriction names purposes.
      policy: ["terraform_data.immuta_guard", "terraform_data.immuta_purpose_confirm"],
      project: [
        "terraform_data.immuta_guard",
        "terraform_data.immuta_purpose_confirm",
        "terraform_data.immuta_data_confirm",
      ],
    });
  });

  it("hold each construct's object in its kind's block, and nothing else", () => {
    const { config } = synthStack((stack) => {
      new Purpose(stack, "research", { name: "Research" });
      new DataSource(stack, "dwh", { connectionKey: "dwh", connection: SNOWFLAKE });
      new GlobalPolicy(stack, "mask", MASK_PII);
      new Project(stack, "fraud", { projectKey: "fraud", name: "Fraud" });
    });
    const keys = Object.fromEntries(
      KINDS_IN_ORDER.map((kind) => [kind, Object.keys(blockOf(config, kind).for_each ?? {})]),
    );
    expect(keys).toEqual({
      purpose: ["Research"],
      data: ["dwh"],
      policy: ["mask-pii"],
      project: ["fraud"],
    });
    // Four blocks, a guard and four confirm steps: the same number of resources for any number
    // of objects.
    expect(Object.keys(resourcesOf(config))).toHaveLength(9);
  });
});
