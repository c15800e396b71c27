import { canonicalJson } from "../../src/payload/canonical";
import "../setup-cdktf";
import { Testing } from "cdktf";
import { DataSource, ImmutaProvider, Project, Purpose, TerraformData } from "../../src";
import { addresses, resourceAt, synthStack } from "../helpers/synth";

function stackWithReferences(extra: Partial<import("../../src").ProjectProps> = {}) {
  return synthStack((stack) => {
    const research = new Purpose(stack, "research", {
      name: "Research",
      subpurposes: [{ name: "Research.Clinical" }],
    });
    const dwh = new DataSource(stack, "dwh", {
      connectionKey: "dwh",
      connection: {
        handler: "Snowflake",
        hostname: "acme.snowflakecomputing.com",
        database: "ANALYTICS",
      },
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
  it("synthesizes a terraform_data carrier (cdktf's matchers)", () => {
    const synthesized = Testing.synthScope((scope) => {
      new ImmutaProvider(scope, "immuta");
      new Project(scope, "fraud", { projectKey: "fraud", name: "Fraud", purposes: ["Research"] });
    });
    expect(synthesized).toHaveResourceWithProperties(TerraformData, {
      triggers_replace: canonicalJson({
        projectKey: "fraud",
        name: "Fraud",
        purposes: ["Research"],
      }),
    });
  });

  it("synthesizes its resources at stable addresses", () => {
    expect(addresses(stackWithReferences().config)).toMatchSnapshot();
  });

  it("names referenced purposes and data sources, and depends on them (created first, deleted last)", () => {
    const { config } = stackWithReferences();
    const apply = resourceAt(config, "fraud/apply");
    expect(apply.payload).toEqual({
      projectKey: "fraud",
      name: "Fraud",
      purposes: ["Research", "Research.Clinical", "Marketing"],
      datasources: ["public.customers", "managed elsewhere"],
    });
    expect(apply.depends_on).toEqual([
      resourceAt(config, "research/apply").address,
      resourceAt(config, "dwh/apply").address,
    ]);
    expect(resourceAt(config, "fraud/identity").depends_on).toEqual([
      resourceAt(config, "research/identity").address,
      resourceAt(config, "dwh/identity").address,
    ]);
  });

  it("normalises allowedMaskedJoins and passes deleteDataSourcesOnWorkspaceDelete as a flag", () => {
    const { config } = stackWithReferences({
      allowedMaskedJoins: true,
      deleteDataSourcesOnWorkspaceDelete: true,
    });
    const apply = resourceAt(config, "fraud/apply");
    expect(apply.payload).toMatchObject({ allowMaskedJoins: true });
    expect(apply.payload).not.toHaveProperty("allowedMaskedJoins");
    expect(apply.provisioner[0]["local-exec"].interpreter).toContain(
      "--delete-data-sources-on-workspace-delete",
    );
  });
});
