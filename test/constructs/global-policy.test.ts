import "../setup-cdktf";
import { canonicalJson } from "../../src/payload/canonical";
import { GlobalPolicy, type GlobalPolicyProps } from "../../src/constructs";
import { ImmutaProvider, TerraformData } from "../../providers";
import { addresses, synthScope, blockOf, instanceOf, stepOf, synthStack } from "../helpers/synth";
import { MASK_PII } from "../payload/fixtures";
import { instanceContext, stepArgv } from "./step-argv";

const maskPii: GlobalPolicyProps = MASK_PII;

describe("GlobalPolicy", () => {
  it("synthesizes an instance of the tenant's policy block (cdktf's matchers)", () => {
    const synthesized = synthScope((scope) => {
      new ImmutaProvider(scope, "immuta");
      new GlobalPolicy(scope, "mask-pii", maskPii);
    });
    // The instances sit in a local value, which the block's for_each references; an object with
    // no payload file and no flags is its payload text alone.
    expect(synthesized).toHaveResourceWithProperties(TerraformData, {
      for_each: "${local.immuta_policy_instances}",
    });
    expect(JSON.parse(synthesized).locals.immuta_policy_instances).toEqual({
      "mask-pii": canonicalJson(maskPii),
    });
  });

  it("synthesizes its instance at a stable address", () => {
    const { config, moved } = synthStack((stack) => {
      new GlobalPolicy(stack, "mask-pii", maskPii);
    });
    expect({ addresses: addresses(config), moved }).toMatchSnapshot();
  });

  it("carries a data policy's payload as given, and labels its step with its key", () => {
    const { config } = synthStack((stack) => {
      new GlobalPolicy(stack, "mask-pii", maskPii);
    });
    const instance = instanceOf(config, "policy", "mask-pii");
    expect(instance.payload).toEqual(maskPii);
    const argv = stepArgv(
      stepOf(blockOf(config, "policy"), "create"),
      instanceContext("mask-pii", instance),
    );
    expect(argv.slice(-2)).toEqual(["--label", "immuta-v2 apply policy mask-pii"]);
  });

  it("normalises the documented alias requiredPermissions, and passes reCertify as a flag", () => {
    const { config } = synthStack((stack) => {
      new GlobalPolicy(stack, "approval", {
        policyKey: "approval",
        name: "Approval",
        type: "subscription",
        actions: { type: "approval", approvals: [{ requiredPermissions: "OWNER" }] },
        reCertify: true,
      });
    });
    const instance = instanceOf(config, "policy", "approval");
    expect(instance.payload).toMatchObject({
      actions: { type: "approval", approvals: [{ requiredPermission: "OWNER" }] },
    });
    expect(instance.payload).not.toHaveProperty("reCertify");
    expect(instance.a).toEqual(["--re-certify"]);
    expect(
      stepArgv(stepOf(blockOf(config, "policy"), "create"), instanceContext("approval", instance)),
    ).toContain("--re-certify");
  });

  it("reports every problem with the construct and field paths", () => {
    expect(() =>
      synthStack((stack) => {
        new GlobalPolicy(stack, "bad", {
          ...maskPii,
          circumstanceOperator: "every" as "all",
          actions: [{ rules: [{ type: "Mask" as "Masking", config: {} as never }] }],
        });
      }),
    ).toThrow(
      "governance/bad: 2 problems\n" +
        '  actions[0].rules[0].type: must be one of "Masking", "Minimization", "Purpose Restriction", "Time Restriction", "Row Restriction By User Entitlements", "Row Restriction by Custom Where Clause" (got "Mask"); did you mean "Masking"?\n' +
        '  circumstanceOperator: must be one of "all", "any" (got "every")',
    );
  });

  it("checks a rule's config against its rule type", () => {
    expect(() =>
      synthStack((stack) => {
        new GlobalPolicy(stack, "bad", {
          ...maskPii,
          actions: [{ rules: [{ type: "Masking", config: { fields: [] } as never }] }],
        });
      }),
    ).toThrow(
      "governance/bad: 2 problems\n" +
        "  actions[0].rules[0].config.fields: must list at least 1 item\n" +
        "  actions[0].rules[0].config.maskingConfig: required",
    );
  });
});
