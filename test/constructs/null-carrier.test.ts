import { DataSource, Purpose, Project, TerraformData } from "../../src";
import { addresses, resourceAt, resourcesOf, synthStack } from "../helpers/synth";

// The hashicorp/null provider cannot be installed on these machines (no registry), so this
// carrier is covered by synth tests; terraform_data's behaviour is covered end to end.
describe("the null_resource carrier", () => {
  const synth = () =>
    synthStack(
      (stack) => {
        const research = new Purpose(stack, "research", { name: "Research", description: "${x}" });
        const dwh = new DataSource(stack, "dwh", {
          connectionKey: "dwh",
          connection: { handler: "Snowflake", hostname: "h", database: "D" },
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

  it("synthesizes null_resources, the null provider, and no terraform_data", () => {
    const { config } = synth();
    expect(addresses(config)).toMatchSnapshot();
    expect(resourcesOf(config, "terraform_data")).toEqual({});
    expect(config.terraform?.required_providers).toMatchObject({ null: { source: "null" } }); // hashicorp/null
  });

  it("carries a payload known at synth as its JSON text, and one with apply-time values through a local", () => {
    const { config } = synth();
    const known = resourceAt(config, "research/apply", "null_resource");
    expect(known.triggers?.payload).toBe('{"description":"$${x}","name":"Research"}');
    expect(known.provisioner[0]["local-exec"].environment).toEqual({
      IMMUTA_PAYLOAD: "${self.triggers.payload}",
    });

    // A local value, unlike an expression written by cdktf, keeps literal strings byte for byte.
    const { config: later } = synthStack(
      (stack) => {
        const db = new TerraformData(stack, "db", { input: "h" });
        new Purpose(stack, "research", { name: "Research", description: `\${x} ${db.output}` });
      },
      { carrier: "null_resource" },
    );
    const apply = resourceAt(later, "research/apply", "null_resource");
    expect(apply.triggers?.payload).toMatch(
      /^\$\{jsonencode\(local\.research_payload_json_[0-9A-F]+\)\}$/,
    );
    const local = apply.triggers!.payload.slice("${jsonencode(local.".length, -2);
    expect(later.locals?.[local]).toEqual({
      name: "Research",
      description: "$${x} ${terraform_data.db.output}",
    });
  });

  it("keeps the key in the identity's triggers for the destroy step, and the same dependencies", () => {
    const { config } = synth();
    const identity = resourceAt(config, "p/identity", "null_resource");
    expect(identity.triggers).toEqual({
      kind: "project",
      key: "p",
      tenant: "$IMMUTA_URL (governance/immuta)",
    });
    expect(identity.provisioner[0]["local-exec"].command).toBe("${self.triggers.key}");
    expect(resourceAt(config, "p/apply", "null_resource").depends_on).toEqual([
      resourceAt(config, "research/apply", "null_resource").address,
      resourceAt(config, "dwh/apply", "null_resource").address,
    ]);
  });

  it("records the manifest from the prune's triggers", () => {
    const { config } = synth();
    const prune = resourceAt(config, "immuta/prune", "null_resource");
    expect(config.output?.immuta_manifest.value).toBe(
      `\${jsondecode(${prune.address}.triggers.manifest)}`,
    );
  });
});
