import "../setup-cdktf";
import { ValidationError } from "../../src/errors";
import { Purpose } from "../../src/constructs";
import { ImmutaProvider, TerraformData } from "../../providers";
import { startServer } from "../../src/server";
import { addresses, synthScope, blockOf, instanceOf, stepOf, synthStack } from "../helpers/synth";
import { runStep } from "./run-step";
import { instanceContext, stepArgv, stepOptions } from "./step-argv";

describe("Purpose", () => {
  it("synthesizes an instance of the tenant's purpose block (cdktf's matchers)", () => {
    const synthesized = synthScope((scope) => {
      new ImmutaProvider(scope, "immuta");
      new Purpose(scope, "research", { name: "Research" });
    });
    // The instances sit in a local value, which the block's for_each references; an object with
    // no payload file and no flags is its payload text alone.
    expect(synthesized).toHaveResourceWithProperties(TerraformData, {
      for_each: "${local.immuta_purpose_instances}",
      triggers_replace: "${each.value}",
    });
    expect(JSON.parse(synthesized).locals.immuta_purpose_instances).toEqual({
      Research: '{"name":"Research"}',
    });
  });

  it("synthesizes its instance, the tenant's blocks, guard, confirm steps and output at stable addresses", () => {
    const { config, moved } = synthStack((stack) => {
      new Purpose(stack, "research", { name: "Research", acknowledgement: "I agree" });
    });
    expect({ addresses: addresses(config), moved }).toMatchSnapshot();
  });

  it("exposes its block, for other resources to depend on, and its instance's address", () => {
    synthStack((stack, provider) => {
      const research = new Purpose(stack, "research", { name: "Research" });
      expect(research.resource).toBe(provider!.blockOf("purpose"));
      expect(research.address).toBe('terraform_data.immuta_purpose["Research"]');
      expect([research.kind, research.key, research.purposeName]).toEqual([
        "purpose",
        "Research",
        "Research",
      ]);
    });
  });

  it("carries its payload as canonical JSON, POSTs it when its instance is created and DELETEs its name when destroyed", async () => {
    const { config } = synthStack((stack) => {
      new Purpose(stack, "research", {
        name: "Research",
        description: "For research",
        subpurposes: [{ name: "Research.Clinical", acknowledgement: "Clinical only" }],
      });
    });
    const instance = instanceOf(config, "purpose", "Research");
    expect(instance.p).toBe(
      '{"description":"For research","name":"Research","subpurposes":[{"acknowledgement":"Clinical only","name":"Research.Clinical"}]}',
    );
    expect(instance.payload).toEqual({
      name: "Research",
      description: "For research",
      subpurposes: [{ name: "Research.Clinical", acknowledgement: "Clinical only" }],
    });

    const block = blockOf(config, "purpose");
    // The instance as Terraform reads it: its payload text alone (no file, no flags).
    const written = (config.locals?.immuta_purpose_instances as Record<string, unknown>).Research;
    expect(written).toBe(instance.p);
    const context = instanceContext("Research", written as string);
    const post = stepArgv(stepOf(block, "create"), context);
    expect(stepOptions(post)).toEqual({
      command: "apply",
      options: expect.objectContaining({
        kind: "purpose",
        key: "Research",
        "planned-at": "2000-01-01T00:00:00Z",
        "payload-env": "IMMUTA_PAYLOAD",
        label: "immuta-v2 apply purpose Research",
      }),
    });
    expect(post).not.toContain("--file");
    const del = stepArgv(stepOf(block, "destroy"), context);
    expect(stepOptions(del)).toEqual({
      command: "delete",
      options: { kind: "purpose", key: "Research", label: "immuta-v2 delete purpose Research" },
    });

    // Both, run as the provisioners run them: the CLI accepts them and Immuta sees the calls.
    const server = await startServer({ apiKeys: [{ key: "k" }] });
    try {
      const env = { IMMUTA_URL: server.url, IMMUTA_API_KEY: "k" };
      const created = await runStep(post, { ...env, IMMUTA_PAYLOAD: instance.p as string });
      expect(created).toMatchObject({ code: 0, stderr: "" });
      expect((await runStep(del, env)).code).toBe(0);
      expect(server.requests().map((r) => `${r.method} ${r.kind} ${r.key} ${r.status}`)).toEqual([
        "POST purpose Research 200",
        "DELETE purpose Research 200",
      ]);
    } finally {
      await server.close();
    }
  });

  it("passes reAcknowledgeRequired as a flag of its apply step, not as part of the payload", () => {
    const { config } = synthStack((stack) => {
      new Purpose(stack, "research", { name: "Research", reAcknowledgeRequired: true });
      new Purpose(stack, "marketing", { name: "Marketing" });
    });
    const research = instanceOf(config, "purpose", "Research");
    expect(research.payload).toEqual({ name: "Research" });
    expect(research.a).toEqual(["--re-acknowledge-required"]);
    expect(instanceOf(config, "purpose", "Marketing").a).toEqual([]);
    const argv = stepArgv(
      stepOf(blockOf(config, "purpose"), "create"),
      instanceContext("Research", research),
    );
    expect(argv.slice(-3)).toEqual([
      "--re-acknowledge-required",
      "--label",
      "immuta-v2 apply purpose Research",
    ]);
  });

  it("rejects an invalid payload naming the construct path and the field path", () => {
    expect(() =>
      synthStack((stack) => {
        new Purpose(stack, "research", {
          name: "Research",
          subpurposes: [{ name: "Research.A", acknowledgment: "typo" } as never],
        });
      }),
    ).toThrow(
      new ValidationError("governance/research", [
        {
          path: "subpurposes[0].acknowledgment",
          message:
            'unknown field; did you mean "acknowledgement"? (allowed here: name, description, acknowledgement, subpurposes)',
        },
      ]),
    );
  });

  it("names sub-purposes for projects, and refuses one it does not have", () => {
    synthStack((stack) => {
      const research = new Purpose(stack, "research", {
        name: "Research",
        subpurposes: [
          { name: "Research.Clinical", subpurposes: [{ name: "Research.Clinical.Trials" }] },
        ],
      });
      expect(research.subpurpose("Clinical", "Trials").purposeName).toBe(
        "Research.Clinical.Trials",
      );
      expect(() => research.subpurpose("Marketing")).toThrow(
        'governance/research: no sub-purpose "Research.Marketing" in purpose "Research"',
      );
    });
  });
});
