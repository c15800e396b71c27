import { DataSource, Project, Purpose, TerraformData } from "../../src";
import { KINDS_IN_ORDER } from "../../src/layout/names";
import { readStackConfiguration } from "../../src/review/stack-config";
import { SNOWFLAKE } from "../payload/fixtures";
import {
  addresses,
  blockOf,
  instanceOf,
  resourceNamed,
  resourcesOf,
  stepOf,
  synthStack,
} from "../helpers/synth";
import { instanceContext, stepArgv, stepOptions } from "./step-argv";

const NULL = { type: "null_resource" };

// The hashicorp/null provider cannot be installed on these machines (no registry), so this
// carrier is covered by synth tests; terraform_data's behaviour is covered end to end.
describe("the null_resource carrier", () => {
  const synth = () =>
    synthStack(
      (stack) => {
        const research = new Purpose(stack, "research", { name: "Research", description: "${x}" });
        const dwh = new DataSource(stack, "dwh", {
          connectionKey: "dwh",
          connection: SNOWFLAKE,
          sources: [{ table: "t", schema: "s" }],
        });
        new Project(stack, "p", {
          projectKey: "p",
          name: "P",
          purposes: [research],
          datasources: [dwh.dataSourceName("s", "t")],
        });
      },
      { carrier: "null_resource" },
    );

  it("carries the objects in null_resource blocks, with the null provider; the guard and confirm steps stay terraform_data", () => {
    const { config } = synth();
    expect(addresses(config)).toMatchSnapshot();
    expect(Object.keys(resourcesOf(config, "null_resource")).sort()).toEqual([
      "immuta_data",
      "immuta_policy",
      "immuta_project",
      "immuta_purpose",
    ]);
    expect(config.terraform?.required_providers).toMatchObject({ null: { source: "null" } }); // hashicorp/null
    expect(Object.keys(config.provider ?? {})).toEqual(["null"]);
  });

  it.each(KINDS_IN_ORDER)(
    "%s: replaced by a new payload, its plan time in a trigger that later plans ignore",
    (kind) => {
      const { config } = synth();
      const block = blockOf(config, kind, NULL);
      // The data source carries flags (--wait): its block's instances are objects; the others
      // are their payload text.
      const payload = kind === "data" ? "each.value.p" : "each.value";
      expect(block.triggers).toEqual({
        payload: `\${try(tostring(${payload}), jsonencode(${payload}))}`,
        planned: "${plantimestamp()}",
      });
      expect(block.lifecycle).toEqual({
        create_before_destroy: true,
        ignore_changes: ['triggers["planned"]'],
      });
      expect(block.provisioner?.map((p) => p["local-exec"].when)).toEqual([undefined, "destroy"]);
      expect(block["//"]?.immuta).toMatchObject({ role: "objects", kind, tenant: "immuta" });
    },
  );

  it("carries a payload known at synth as its JSON text, and one with apply-time values as a value", () => {
    const { config } = synth();
    expect(instanceOf(config, "purpose", "Research", NULL).p).toBe(
      '{"description":"$${x}","name":"Research"}',
    );
    const payloadText = "self.triggers.payload";
    expect(stepOf(blockOf(config, "purpose", NULL), "create").environment).toBe(
      `\${ { for i in range("" == "" ? ceil(length(${payloadText}) / 30000) : 0) : ` +
        `"IMMUTA_PAYLOAD_\${i}" => substr(${payloadText}, i * 30000, 30000) } }`,
    );

    const { config: later } = synthStack(
      (stack) => {
        const db = new TerraformData(stack, "db", { input: "h" });
        new Purpose(stack, "research", { name: "Research", description: `\${x} ${db.output}` });
      },
      { carrier: "null_resource" },
    );
    expect(instanceOf(later, "purpose", "Research", NULL).p).toEqual({
      name: "Research",
      description: "$${x} ${terraform_data.db.output}",
    });
  });

  it("passes the plan time from its trigger, and DELETEs the instance's key when destroyed", () => {
    const { config } = synth();
    const block = blockOf(config, "project", NULL);
    const context = instanceContext("p", { f: "", a: [] }, "2026-12-01T10:00:00Z");
    const post = stepArgv(stepOf(block, "create"), context);
    expect(stepOptions(post).options["planned-at"]).toBe("2026-12-01T10:00:00Z");
    expect(stepOf(block, "create").interpreter).toContain("self.triggers.planned");
    expect(stepOptions(stepArgv(stepOf(block, "destroy"), context))).toEqual({
      command: "delete",
      options: { kind: "project", key: "p", label: "immuta-v2 delete project p" },
    });
  });

  it("keeps the blocks' order, and the confirm steps read the null_resources", () => {
    const { config } = synth();
    expect(blockOf(config, "project", NULL).depends_on).toEqual([
      "terraform_data.immuta_guard",
      "terraform_data.immuta_purpose_confirm",
      "terraform_data.immuta_data_confirm",
    ]);
    const confirm = resourceNamed(config, "immuta_project_confirm");
    expect(confirm.input).toBe(
      '${{ tenant = "$IMMUTA_URL", digests = { for k, v in null_resource.immuta_project : ' +
        '"project/${k}" => sha256(v.triggers.payload) } }}',
    );
    expect(String(stepOf(confirm, "create").environment)).toContain(
      '{ for k, v in null_resource.immuta_project : "project/${k}" => v.triggers.planned }',
    );
  });

  it("is read back by the review like terraform_data", () => {
    const stack = synth();
    const read = readStackConfiguration(stack.dir);
    expect(read.objects.map((o) => `${o.type}.${o.block} ${o.kind}/${o.key}`).sort()).toEqual([
      "null_resource.immuta_data data/dwh",
      "null_resource.immuta_project project/p",
      "null_resource.immuta_purpose purpose/Research",
    ]);
    expect(read.objects.find((o) => o.key === "Research")?.desired.payload).toEqual({
      name: "Research",
      description: "${x}",
    });
  });
});
