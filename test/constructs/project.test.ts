import "../setup-cdktf";
import { canonicalJson } from "../../src/payload/canonical";
import {
  DataSource,
  ImmutaProvider,
  Project,
  Purpose,
  TerraformData,
  type ProjectProps,
} from "../../src";
import { SNOWFLAKE } from "../payload/fixtures";
import { addresses, synthScope, blockOf, instanceOf, stepOf, synthStack } from "../helpers/synth";
import { instanceContext, stepArgv } from "./step-argv";

function stackWithReferences(extra: Partial<ProjectProps> = {}) {
  return synthStack((stack) => {
    const research = new Purpose(stack, "research", {
      name: "Research",
      subpurposes: [{ name: "Research.Clinical" }],
    });
    const dwh = new DataSource(stack, "dwh", {
      connectionKey: "dwh",
      connection: SNOWFLAKE,
      sources: [{ table: "customers", schema: "public" }],
    });
    new Project(stack, "fraud", {
      projectKey: "fraud",
      name: "Fraud",
      purposes: [research, research.subpurpose("Clinical"), "Marketing"],
      datasources: [dwh.dataSourceName("public", "customers"), "managed elsewhere"],
      ...extra,
    });
  });
}

describe("Project", () => {
  it("synthesizes an instance of the tenant's project block (cdktf's matchers)", () => {
    const synthesized = synthScope((scope) => {
      new ImmutaProvider(scope, "immuta");
      new Project(scope, "fraud", { projectKey: "fraud", name: "Fraud", purposes: ["Research"] });
    });
    // The instances sit in a local value, which the block's for_each references.
    expect(synthesized).toHaveResourceWithProperties(TerraformData, {
      for_each: "${local.immuta_project_instances}",
    });
    expect(JSON.parse(synthesized).locals.immuta_project_instances).toEqual({
      fraud: canonicalJson({ projectKey: "fraud", name: "Fraud", purposes: ["Research"] }),
    });
  });

  it("synthesizes its instance at a stable address", () => {
    const { config, moved } = stackWithReferences();
    expect({ addresses: addresses(config), moved }).toMatchSnapshot();
  });

  it("names referenced purposes and data sources; its block waits for theirs (created first, deleted last)", () => {
    const { config } = stackWithReferences();
    expect(instanceOf(config, "project", "fraud").payload).toEqual({
      projectKey: "fraud",
      name: "Fraud",
      purposes: ["Research", "Research.Clinical", "Marketing"],
      datasources: ["public.customers", "managed elsewhere"],
    });
    // Within a tenant the order is the blocks' own: a project's block waits for the confirm steps
    // of purposes and data sources, which wait for their blocks. A reference adds nothing more.
    expect(blockOf(config, "project").depends_on).toEqual([
      "terraform_data.immuta_guard",
      "terraform_data.immuta_purpose_confirm",
      "terraform_data.immuta_data_confirm",
    ]);
  });

  it("normalises allowedMaskedJoins and passes deleteDataSourcesOnWorkspaceDelete as a flag", () => {
    const { config } = stackWithReferences({
      allowedMaskedJoins: true,
      deleteDataSourcesOnWorkspaceDelete: true,
    });
    const instance = instanceOf(config, "project", "fraud");
    expect(instance.payload).toMatchObject({ allowMaskedJoins: true });
    expect(instance.payload).not.toHaveProperty("allowedMaskedJoins");
    expect(instance.payload).not.toHaveProperty("deleteDataSourcesOnWorkspaceDelete");
    expect(instance.a).toEqual(["--delete-data-sources-on-workspace-delete"]);
    expect(
      stepArgv(stepOf(blockOf(config, "project"), "create"), instanceContext("fraud", instance)),
    ).toContain("--delete-data-sources-on-workspace-delete");
  });
});
