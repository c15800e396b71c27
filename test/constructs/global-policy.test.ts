import { canonicalJson } from "../../src/payload/canonical";
import "../setup-cdktf";
import { Testing } from "cdktf";
import { GlobalPolicy, type GlobalPolicyProps } from "../../src/constructs";
import { ImmutaProvider, TerraformData } from "../../providers";
import { addresses, resourceAt, synthStack } from "../helpers/synth";
import { MASK_PII } from "../payload/fixtures";

const maskPii: GlobalPolicyProps = MASK_PII;

describe("GlobalPolicy", () => {
  it("synthesizes a terraform_data carrier (cdktf's matchers)", () => {
    const synthesized = Testing.synthScope((scope) => {
      new ImmutaProvider(scope, "immuta");
      new GlobalPolicy(scope, "mask-pii", maskPii);
    });
    expect(synthesized).toHaveResourceWithProperties(TerraformData, {
      triggers_replace: canonicalJson(maskPii),
    });
  });

  it("synthesizes its resources at stable addresses", () => {
    const { config } = synthStack((stack) => {
      new GlobalPolicy(stack, "mask-pii", maskPii);
    });
    expect(addresses(config)).toMatchSnapshot();
  });

  it("carries a data policy's payload as given", () => {
    const { config } = synthStack((stack) => {
      new GlobalPolicy(stack, "mask-pii", maskPii);
    });
    const apply = resourceAt(config, "mask-pii/apply");
    expect(apply.payload).toEqual(maskPii);
    expect(apply.provisioner[0]["local-exec"].command).toBe("mask-pii");
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
    const apply = resourceAt(config, "approval/apply");
    expect(apply.payload).toMatchObject({
      actions: { type: "approval", approvals: [{ requiredPermission: "OWNER" }] },
    });
    expect(apply.provisioner[0]["local-exec"].interpreter).toContain("--re-certify");
  });

  it("reports every problem with the construct and field paths", () => {
    expect(() =>
      synthStack((stack) => {
        new GlobalPolicy(stack, "bad", {
          ...maskPii,
          circumstanceOperator: "every" as "all",
          actions: [{ rules: [{ type: "Mask" as "Masking", config: {} }] }],
        });
      }),
    ).toThrow(
      "governance/bad: 2 problems\n" +
        '  actions[0].rules[0].type: must be one of "Masking", "Minimization", "Purpose Restriction", "Time Restriction", "Row Restriction By User Entitlements", "Row Restriction by Custom Where Clause" (got "Mask")\n' +
        '  circumstanceOperator: must be one of "all", "any" (got "every")',
    );
  });
});
