import "../setup-cdktf";
import { Testing } from "cdktf";
import { ValidationError } from "../../src/errors";
import { Purpose } from "../../src/constructs";
import { ImmutaProvider, TerraformData } from "../../providers";
import { addresses, resourceAt, synthStack } from "../helpers/synth";

describe("Purpose", () => {
  it("synthesizes a terraform_data carrier (cdktf's matchers)", () => {
    const synthesized = Testing.synthScope((scope) => {
      new ImmutaProvider(scope, "immuta");
      new Purpose(scope, "research", { name: "Research" });
    });
    expect(synthesized).toHaveResourceWithProperties(TerraformData, {
      triggers_replace: '{"name":"Research"}',
    });
  });

  it("synthesizes an identity, an apply resource, and the tenant's prune and manifest", () => {
    const { config } = synthStack((stack) => {
      new Purpose(stack, "research", { name: "Research", acknowledgement: "I agree" });
    });
    expect(addresses(config)).toMatchSnapshot();
  });

  it("carries the payload in the apply resource's replace trigger, and POSTs it on creation", () => {
    const { config } = synthStack((stack) => {
      new Purpose(stack, "research", {
        name: "Research",
        description: "For research",
        subpurposes: [{ name: "Research.Clinical", acknowledgement: "Clinical only" }],
      });
    });
    const apply = resourceAt(config, "research/apply");
    expect(apply.payload).toEqual({
      name: "Research",
      description: "For research",
      subpurposes: [{ name: "Research.Clinical", acknowledgement: "Clinical only" }],
    });
    const step = apply.provisioner[0]["local-exec"];
    expect(step.interpreter.slice(2)).toEqual([
      "apply",
      "--kind",
      "purpose",
      "--payload-env",
      "IMMUTA_PAYLOAD",
      "--key",
    ]);
    expect(step.command).toBe("Research");
  });

  it("DELETEs its name when destroyed, reading the key from its own state", () => {
    const { config } = synthStack((stack) => {
      new Purpose(stack, "research", { name: "Research" });
    });
    const identity = resourceAt(config, "research/identity");
    expect(identity.input).toEqual({
      kind: "purpose",
      key: "Research",
      tenant: "$IMMUTA_URL (governance/immuta)",
    });
    const step = identity.provisioner[0]["local-exec"];
    expect(step.when).toBe("destroy");
    expect(step.interpreter.slice(2)).toEqual(["delete", "--kind", "purpose", "--key"]);
    expect(step.command).toBe("${self.input.key}");
    // The apply resource follows its identity: created after it, and replaced (so POSTed again)
    // whenever it changes, e.g. when the object moves to another tenant.
    expect(resourceAt(config, "research/apply").lifecycle).toEqual({
      replace_triggered_by: [identity.address],
    });
  });

  it("passes reAcknowledgeRequired as a flag, not as part of the payload", () => {
    const { config } = synthStack((stack) => {
      new Purpose(stack, "research", { name: "Research", reAcknowledgeRequired: true });
    });
    const apply = resourceAt(config, "research/apply");
    expect(apply.payload).toEqual({ name: "Research" });
    expect(apply.provisioner[0]["local-exec"].interpreter).toContain("--re-acknowledge-required");
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
