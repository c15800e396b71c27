/**
 * The tenant's guard: runs before any object is written, whenever the stack declares keys it did
 * not before, and refuses those Immuta holds outside the stack unless the code adopts them (C17).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataSource, PayloadDirectory, Project, Purpose } from "../../src";
import { SNOWFLAKE } from "../payload/fixtures";
import { resourceNamed, stepOf, synthStack } from "../helpers/synth";
import { stepArgv } from "./step-argv";

describe("the tenant's guard", () => {
  it("is replaced, so runs again, whenever the sorted list of kind/key entries changes", () => {
    const { config } = synthStack((stack) => {
      new Project(stack, "fraud", { projectKey: "fraud", name: "Fraud" });
      new Purpose(stack, "research", { name: "Research" });
      new DataSource(stack, "dwh", { connectionKey: "dwh", connection: SNOWFLAKE });
      new Purpose(stack, "marketing", { name: "Marketing" });
    });
    const guard = resourceNamed(config, "immuta_guard");
    expect(guard.triggers_replace).toEqual([
      "data/dwh",
      "project/fraud",
      "purpose/Marketing",
      "purpose/Research",
    ]);
    // It runs first: it waits for nothing, and every block waits for it.
    expect(guard.depends_on).toBeUndefined();
  });

  it("lists no entry for a stack without objects", () => {
    const { config } = synthStack(() => {});
    expect(resourceNamed(config, "immuta_guard").triggers_replace).toEqual([]);
  });

  it("passes what to adopt, and how 0.1.0 named this tenant, as its input", () => {
    const { config } = synthStack((stack) => {
      new Purpose(stack, "research", { name: "Research" });
    });
    expect(resourceNamed(config, "immuta_guard").input).toEqual({
      adopt: [],
      adopt_all: false,
      legacy_tenant: "$IMMUTA_URL (governance/immuta)",
    });
    const { config: withUrl } = synthStack(() => {}, { url: "https://acme.immuta.example" });
    expect(resourceNamed(withUrl, "immuta_guard").input).toMatchObject({
      legacy_tenant: "https://acme.immuta.example (governance/immuta)",
    });
  });

  it("lists the objects whose construct says adopt: true, sorted", () => {
    const { config } = synthStack((stack) => {
      new Purpose(stack, "research", { name: "Research", adopt: true });
      new Purpose(stack, "marketing", { name: "Marketing" });
      new DataSource(stack, "dwh", { connectionKey: "dwh", connection: SNOWFLAKE, adopt: true });
      new Project(stack, "fraud", { projectKey: "fraud", name: "Fraud", adopt: false });
    });
    expect(resourceNamed(config, "immuta_guard").input).toMatchObject({
      adopt: ["data/dwh", "purpose/Research"],
      adopt_all: false,
    });
  });

  it("adopts every key when the provider says adoptExisting", () => {
    const { config } = synthStack(
      (stack) => {
        new Purpose(stack, "research", { name: "Research" });
      },
      { adoptExisting: true },
    );
    expect(resourceNamed(config, "immuta_guard").input).toMatchObject({
      adopt: [],
      adopt_all: true,
    });
  });

  it("adopts every object of a PayloadDirectory that says adopt: true", () => {
    const dir = mkdtempSync(join(tmpdir(), "guard-adopt-"));
    try {
      writeFileSync(join(dir, "all.yaml"), "name: Research\n---\nprojectKey: p\nname: P\n");
      const { config } = synthStack((stack) => {
        new PayloadDirectory(stack, "governance", { path: dir, adopt: true });
      });
      expect(resourceNamed(config, "immuta_guard").input).toMatchObject({
        adopt: ["project/p", "purpose/Research"],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs `immuta-v2 guard` when created, its input from its own attributes through the environment", () => {
    const { config } = synthStack(() => {}, { url: "https://acme.immuta.example" });
    const step = stepOf(resourceNamed(config, "immuta_guard"), "create");
    expect(stepArgv(step, {}).slice(2)).toEqual([
      "guard",
      "--url",
      "https://acme.immuta.example",
      "--tenant",
      "immuta",
      "--input-env",
      "IMMUTA_GUARD",
      "--label",
      "immuta-v2 guard immuta",
    ]);
    const input = "jsonencode({ keys = self.triggers_replace, settings = self.input })";
    expect(step.environment).toBe(
      `\${ { for i in range(true ? ceil(length(${input}) / 30000) : 0) : ` +
        `"IMMUTA_GUARD_\${i}" => substr(${input}, i * 30000, 30000) } }`,
    );
    // No destroy step: destroying the stack deletes the objects, not the guard.
    expect(resourceNamed(config, "immuta_guard").provisioner).toHaveLength(1);
  });
});
