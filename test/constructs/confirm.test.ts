/**
 * A confirm step per kind, after its block: replaced whenever an instance of the block is
 * (re)created, it checks what a killed deploy may never have sent (C15); its input, the digest of
 * each object's payload, becomes the stack output recording what the last deploy confirmed.
 */
import { ImmutaProvider, Purpose } from "../../src";
import { KINDS_IN_ORDER } from "../../src/layout/names";
import { resourceNamed, stepOf, synthStack } from "../helpers/synth";
import { stepArgv } from "./step-argv";

describe("the confirm steps and the manifest output", () => {
  it.each(KINDS_IN_ORDER)(
    "%s: runs again whenever an instance is created, recording each object's payload digest",
    (kind) => {
      const { config } = synthStack(() => {});
      const confirm = resourceNamed(config, `immuta_${kind}_confirm`);
      const over = (expression: string) =>
        `{ for k, v in terraform_data.immuta_${kind} : "${kind}/\${k}" => ${expression} }`;
      expect(confirm.triggers_replace).toBe(
        `\${{ tenant = "$IMMUTA_URL", ids = ${over("v.id")} }}`,
      );
      expect(confirm.input).toBe(
        `\${{ tenant = "$IMMUTA_URL", digests = ${over(
          "sha256(try(tostring(v.triggers_replace), jsonencode(v.triggers_replace)))",
        )} }}`,
      );
      // After its block, by the reference alone.
      expect(confirm.depends_on).toBeUndefined();
      const step = stepOf(confirm, "create");
      expect(stepArgv(step, {}).slice(2)).toEqual([
        "confirm",
        "--tenant",
        "immuta",
        "--kind",
        kind,
        "--output",
        "immuta_manifest",
        "--input-env",
        "IMMUTA_CONFIRM",
        "--label",
        `immuta-v2 confirm immuta ${kind}`,
      ]);
      const input =
        `jsonencode({ record = self.input, planned_at = plantimestamp(), ` +
        `markers = ${over("v.input")} })`;
      expect(step.environment).toBe(
        `\${ { for i in range(true ? ceil(length(${input}) / 30000) : 0) : ` +
          `"IMMUTA_CONFIRM_\${i}" => substr(${input}, i * 30000, 30000) } }`,
      );
      // At destroy: the objects Terraform drops without their own DELETE (tainted, deposed).
      const destroying = stepOf(confirm, "destroy");
      expect(stepArgv(destroying, {}).slice(2)).toEqual([
        "confirm",
        "--tenant",
        "immuta",
        "--kind",
        kind,
        "--output",
        "immuta_manifest",
        "--destroying",
        "--label",
        `immuta-v2 confirm immuta ${kind} --destroying`,
      ]);
      expect(confirm.provisioner).toHaveLength(2);
    },
  );

  it("names the tenant by its URL, quoted for Terraform, so that pointing the stack elsewhere re-checks everything", () => {
    const { config } = synthStack(() => {}, { url: 'https://acme.example/a"b${c}' });
    expect(resourceNamed(config, "immuta_purpose_confirm").triggers_replace).toMatch(
      /^\$\{\{ tenant = "https:\/\/acme\.example\/a\\"b\$\$\{c\}", ids = /,
    );
  });

  it("merges the four kinds' digests into the stack output immuta_manifest", () => {
    const { config } = synthStack((stack, provider) => {
      new Purpose(stack, "research", { name: "Research" });
      expect(provider!.manifestOutputName).toBe("immuta_manifest");
    });
    const digests = KINDS_IN_ORDER.map(
      (kind) => `terraform_data.immuta_${kind}_confirm.output.digests`,
    ).join(", ");
    expect(config.output).toEqual({
      immuta_manifest: {
        description:
          "What the last deploy confirmed Immuta holds for this tenant (digest of each object's payload)",
        value: `\${{ tenant = "$IMMUTA_URL", digests = merge(${digests}) }}`,
      },
    });
  });

  it("gives each tenant its own confirm steps and output", () => {
    const { config } = synthStack((stack) => {
      new ImmutaProvider(stack, "eu", { url: "https://eu.immuta.example" });
    });
    expect(Object.keys(config.output ?? {}).sort()).toEqual(["eu_manifest", "immuta_manifest"]);
    expect(config.output?.eu_manifest.value).toBe(
      `\${{ tenant = "https://eu.immuta.example", digests = merge(${KINDS_IN_ORDER.map(
        (kind) => `terraform_data.eu_${kind}_confirm.output.digests`,
      ).join(", ")}) }}`,
    );
    const argv = stepArgv(stepOf(resourceNamed(config, "eu_data_confirm"), "create"), {});
    expect(argv.slice(2, 9)).toEqual([
      "confirm",
      "--url",
      "https://eu.immuta.example",
      "--tenant",
      "eu",
      "--kind",
      "data",
    ]);
    expect(argv[argv.indexOf("--output") + 1]).toBe("eu_manifest");
  });
});
