/**
 * Every resource of a tenant says what it is in its JSON comment (`"//"`, which Terraform
 * ignores): the review (`immuta-v2 plan`, `drift`) finds the tenant's objects and how to reach the
 * tenant through it, and nothing else (src/layout/descriptor.ts).
 */
import { DataSource, GlobalPolicy, ImmutaProvider, Purpose, TerraformData } from "../../src";
import { readDescriptor } from "../../src/layout/descriptor";
import { readStackConfiguration } from "../../src/review/stack-config";
import { MASK_PII, SNOWFLAKE } from "../payload/fixtures";
import { resourcesOf, synthStack } from "../helpers/synth";

const connection = {
  url: "https://acme.immuta.example",
  apiKeyEnv: "ACME_KEY",
  authHeader: "raw",
  timeoutSeconds: 30,
  retries: 2,
} as const;

describe("the resources' descriptors", () => {
  it("say the role, tenant, kind and connection of every resource of the tenant, and of no other", () => {
    const { config } = synthStack((stack) => {
      new TerraformData(stack, "db", { input: "h" });
      new Purpose(stack, "research", { name: "Research" });
    }, connection);
    const descriptors = Object.fromEntries(
      Object.entries(resourcesOf(config)).map(([name, r]) => [name, r["//"]?.immuta]),
    );
    const common = { version: 2, tenant: "immuta", connection };
    const confirm = (kind: string) => ({
      ...common,
      role: "confirm",
      kind,
      output: "immuta_manifest",
    });
    expect(descriptors).toEqual({
      db: undefined,
      immuta_guard: { ...common, role: "guard" },
      immuta_purpose: { ...common, role: "objects", kind: "purpose" },
      immuta_data: { ...common, role: "objects", kind: "data" },
      immuta_policy: { ...common, role: "objects", kind: "policy" },
      immuta_project: { ...common, role: "objects", kind: "project" },
      immuta_purpose_confirm: confirm("purpose"),
      immuta_data_confirm: confirm("data"),
      immuta_policy_confirm: confirm("policy"),
      immuta_project_confirm: confirm("project"),
    });
    for (const [name, resource] of Object.entries(resourcesOf(config))) {
      expect(readDescriptor(resource, `terraform_data.${name}`)).toEqual(resource["//"]?.immuta);
    }
  });

  it("give only the connection settings given: the tenant's URL comes from IMMUTA_URL otherwise", () => {
    const { config } = synthStack(() => {});
    expect(resourcesOf(config).immuta_guard["//"]?.immuta?.connection).toEqual({});
  });

  it("let the review read back each object, its payload, and what the tenant adopts", () => {
    const stack = synthStack(
      (s, provider) => {
        const eu = new ImmutaProvider(s, "eu", { url: "https://eu.immuta.example" });
        new Purpose(s, "research", { name: "Research ${x}", adopt: true, provider });
        new DataSource(s, "dwh", { connectionKey: "dwh", connection: SNOWFLAKE, provider });
        new GlobalPolicy(s, "mask", { ...MASK_PII, provider: eu });
      },
      { ...connection, adoptExisting: false },
    );
    const read = readStackConfiguration(stack.dir);
    const objects = new Map(read.objects.map((o) => [o.key, o]));
    expect(
      read.objects.map((o) => [o.tenant, o.kind, o.key, o.type, o.block, o.desired.unknown]).sort(),
    ).toEqual([
      ["eu", "policy", "mask-pii", "terraform_data", "eu_policy", []],
      ["immuta", "data", "dwh", "terraform_data", "immuta_data", []],
      ["immuta", "purpose", "Research ${x}", "terraform_data", "immuta_purpose", []],
    ]);
    expect(objects.get("Research ${x}")?.desired.payload).toEqual({ name: "Research ${x}" });
    expect(objects.get("dwh")?.desired.payload).toMatchObject({ connection: SNOWFLAKE });
    expect(objects.get("mask-pii")?.connection).toEqual({ url: "https://eu.immuta.example" });
    expect(read.tenants.get("immuta")).toEqual({
      prefix: "immuta",
      connection,
      output: "immuta_manifest",
      adopt: new Set(["purpose/Research ${x}"]),
      adoptAll: false,
    });
    expect(read.tenants.get("eu")?.output).toBe("eu_manifest");
  });
});
