/**
 * immuta-upgrade.tf.json: a `moved` block per object from what cdktf-immuta 0.1.0 synthesized
 * (`terraform_data.<construct>_apply_<hash>`) to the object's instance, so that a stack deployed
 * with 0.1.0 upgrades without a request to Immuta (C19; deployed for real in test/e2e/upgrade).
 * Checked here against what 0.1.0 itself synthesized for the same code (test/fixtures/v0.1.0).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as library from "../../src";
import { DataSource, ImmutaProvider, PayloadDirectory, Project, Purpose } from "../../src";
import { build, type Library } from "../fixtures/v0.1.0/governance";
import { SNOWFLAKE } from "../payload/fixtures";
import {
  UPGRADE_FILE,
  resourceNamed,
  stackFiles,
  synthStack,
  type TerraformJson,
} from "../helpers/synth";

const FIXTURE = join(__dirname, "..", "fixtures", "v0.1.0", "cdk.tf.json");

interface LegacyResource {
  "//": { metadata: { path: string } };
  input?: { kind: string; key: string; tenant: string };
  triggers_replace?: string;
}

describe("the moved blocks from 0.1.0 (immuta-upgrade.tf.json)", () => {
  const legacy = JSON.parse(readFileSync(FIXTURE, "utf8")).resource.terraform_data as Record<
    string,
    LegacyResource
  >;
  /** 0.1.0's identity resources held each object's kind and key, by construct path. */
  const identityOf = (applyPath: string) =>
    Object.values(legacy).find(
      (r) => r["//"].metadata.path === applyPath.replace(/\/apply$/, "/identity"),
    )!.input!;

  it("move every object of a 0.1.0 stack from its apply resource to its instance, with the same payload", () => {
    const stack = synthStack((s) => build(library as unknown as Library, s));
    const applies = Object.entries(legacy).filter(([name]) => name.includes("_apply_"));
    expect(stack.moved).toHaveLength(applies.length);
    for (const [name, resource] of applies) {
      const { kind, key } = identityOf(resource["//"].metadata.path);
      const to = `terraform_data.immuta_${kind}[${JSON.stringify(key)}]`;
      expect(stack.moved).toContainEqual({ from: `terraform_data.${name}`, to });
      // The payload 0.1.0 carried is the one the instance carries: moved, not replaced.
      const instances = resourceNamed(stack.config, `immuta_${kind}`).for_each ?? {};
      expect(instances[key].p).toBe(resource.triggers_replace);
    }
  });

  it("recognise the 0.1.0 objects of this tenant by the tenant 0.1.0 wrote", () => {
    const stack = synthStack((s) => build(library as unknown as Library, s));
    const tenants = new Set(Object.values(legacy).flatMap((r) => r.input?.tenant ?? []));
    expect([...tenants]).toEqual(["$IMMUTA_URL (governance/immuta)"]);
    expect(resourceNamed(stack.config, "immuta_guard").input).toMatchObject({
      legacy_tenant: "$IMMUTA_URL (governance/immuta)",
    });
  });

  it("live in their own file beside cdk.tf.json, never mixed with cdktf's own", () => {
    const stack = synthStack((s) => {
      new Purpose(s, "research", { name: "Research" });
    });
    expect(stackFiles(stack)).toEqual(["cdk.tf.json", UPGRADE_FILE]);
    expect((stack.config as TerraformJson & { moved?: unknown }).moved).toBeUndefined();
  });

  it("escape ${ and %{ in the instance key, as Terraform reads addresses", () => {
    const { moved } = synthStack((s) => {
      new Project(s, "fraud", { projectKey: "fraud ${x} %{y}", name: "Fraud" });
    });
    expect(moved).toEqual([
      {
        from: "terraform_data.fraud_apply_2D49508A",
        to: 'terraform_data.immuta_project["fraud $${x} %%{y}"]',
      },
    ]);
  });

  it("move each tenant's objects to that tenant's blocks, and nested constructs by their path", () => {
    const dir = mkdtempSync(join(tmpdir(), "upgrade-moves-"));
    try {
      writeFileSync(join(dir, "p.yaml"), "name: Research\n");
      const { moved } = synthStack((s, us) => {
        const eu = new ImmutaProvider(s, "eu");
        new DataSource(s, "dwh", { connectionKey: "dwh", connection: SNOWFLAKE, provider: eu });
        new PayloadDirectory(s, "files", { path: dir, provider: us });
      });
      expect(moved).toMatchSnapshot();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("come from null_resources for a stack of the null_resource carrier", () => {
    const { moved } = synthStack(
      (s) => {
        new Purpose(s, "research", { name: "Research" });
      },
      { carrier: "null_resource" },
    );
    expect(moved).toEqual([
      {
        from: "null_resource.research_apply_66B6385C",
        to: 'null_resource.immuta_purpose["Research"]',
      },
    ]);
  });

  it("follow the code at each synth, and go when the stack has no object left", () => {
    const outdir = mkdtempSync(join(tmpdir(), "upgrade-moves-"));
    try {
      const twoObjects = synthStack(
        (s) => {
          new Purpose(s, "research", { name: "Research" });
          new Purpose(s, "marketing", { name: "Marketing" });
        },
        {},
        outdir,
      );
      expect(twoObjects.moved).toHaveLength(2);
      const oneObject = synthStack(
        (s) => {
          new Purpose(s, "research", { name: "Research" });
        },
        {},
        outdir,
      );
      expect(oneObject.moved?.map((m) => m.from)).toEqual([
        "terraform_data.research_apply_66B6385C",
      ]);
      // Bug: LegacyMoves, which removes the file, exists only once an object was added
      // (providers/legacy-moves.ts, providers/immuta-provider.ts `manage`).
      const none = synthStack(() => {}, {}, outdir);
      expect(stackFiles(none)).toEqual(["cdk.tf.json"]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
