/**
 * `ImmutaObject.addDependency`: the order within a tenant is its blocks' own (purposes and data
 * sources, then policies, then projects); across tenants, a dependency makes one block wait for
 * another. A dependency against the kinds' order cannot be kept by blocks, and is refused.
 */
import { DataSource, GlobalPolicy, ImmutaProvider, Project, Purpose } from "../../src";
import { MASK_PII, SNOWFLAKE } from "../payload/fixtures";
import { blockOf, synthStack } from "../helpers/synth";

const GUARD = "terraform_data.immuta_guard";
const EU_PROJECT_ORDER = [
  "terraform_data.eu_guard",
  "terraform_data.eu_purpose_confirm",
  "terraform_data.eu_data_confirm",
];

describe("addDependency", () => {
  it("makes a block wait for another tenant's block, once", () => {
    const { config } = synthStack((stack, us) => {
      const eu = new ImmutaProvider(stack, "eu", { url: "https://eu.immuta.example" });
      const research = new Purpose(stack, "research", { name: "Research", provider: us });
      const project = new Project(stack, "fraud", {
        projectKey: "fraud",
        name: "Fraud",
        purposes: [research], // a reference adds the dependency itself
        provider: eu,
      });
      project.addDependency(research);
    });
    expect(blockOf(config, "project", { tenant: "eu" }).depends_on).toEqual([
      ...EU_PROJECT_ORDER,
      "terraform_data.immuta_purpose",
    ]);
    // The other tenant's blocks are untouched.
    expect(blockOf(config, "purpose").depends_on).toEqual([GUARD]);
  });

  // Found while writing this test: the set that dedupes is per object, while depends_on is the
  // block's (src/constructs/immuta-object.ts), so every object repeats the entry.
  it("names another tenant's block once, however many objects wait for it", () => {
    const { config } = synthStack((stack, us) => {
      const eu = new ImmutaProvider(stack, "eu");
      const research = new Purpose(stack, "research", { name: "Research", provider: us });
      for (const key of ["a", "b", "c"]) {
        new Project(stack, key, { projectKey: key, name: key, purposes: [research], provider: eu });
      }
    });
    expect(blockOf(config, "project", { tenant: "eu" }).depends_on).toEqual([
      ...EU_PROJECT_ORDER,
      "terraform_data.immuta_purpose",
    ]);
  });

  it("adds nothing within a tenant where the blocks' order already holds", () => {
    const { config } = synthStack((stack) => {
      const research = new Purpose(stack, "research", { name: "Research" });
      const marketing = new Purpose(stack, "marketing", { name: "Marketing" });
      const dwh = new DataSource(stack, "dwh", { connectionKey: "dwh", connection: SNOWFLAKE });
      const project = new Project(stack, "fraud", { projectKey: "fraud", name: "Fraud" });
      project.addDependency(research);
      project.addDependency(dwh);
      research.addDependency(marketing); // one block: no order within a kind
    });
    expect(blockOf(config, "project").depends_on).toEqual([
      GUARD,
      "terraform_data.immuta_purpose_confirm",
      "terraform_data.immuta_data_confirm",
    ]);
    expect(blockOf(config, "purpose").depends_on).toEqual([GUARD]);
  });

  it("makes a policy wait for the tenant's data sources when asked (its block does not by itself)", () => {
    const { config } = synthStack((stack) => {
      const dwh = new DataSource(stack, "dwh", { connectionKey: "dwh", connection: SNOWFLAKE });
      new GlobalPolicy(stack, "mask", MASK_PII).addDependency(dwh);
    });
    expect(blockOf(config, "policy").depends_on).toEqual([
      GUARD,
      "terraform_data.immuta_purpose_confirm",
      "terraform_data.immuta_data",
    ]);
  });

  it("refuses a dependency against the kinds' order, naming both constructs", () => {
    expect(() =>
      synthStack((stack) => {
        const project = new Project(stack, "fraud", { projectKey: "fraud", name: "Fraud" });
        new Purpose(stack, "research", { name: "Research" }).addDependency(project);
      }),
    ).toThrow(
      "governance/research: a purpose cannot wait for a project (governance/fraud): objects are " +
        "created kind by kind (purpose, data, policy, project) and deleted in the reverse order",
    );
    expect(() =>
      synthStack((stack) => {
        const policy = new GlobalPolicy(stack, "mask", MASK_PII);
        const dwh = new DataSource(stack, "dwh", { connectionKey: "dwh", connection: SNOWFLAKE });
        dwh.addDependency(policy);
      }),
    ).toThrow(
      /^governance\/dwh: a data source connection cannot wait for a global policy \(governance\/mask\)/,
    );
  });

  it("refuses one object of a kind waiting for another of that kind in another tenant", () => {
    expect(() =>
      synthStack((stack, us) => {
        const eu = new ImmutaProvider(stack, "eu");
        const a = new Purpose(stack, "a", { name: "A", provider: us });
        new Purpose(stack, "b", { name: "B", provider: eu }).addDependency(a);
      }),
    ).toThrow("governance/b: a purpose cannot wait for a purpose (governance/a)");
  });
});
