import { dependable } from "cdktf";
import type { Construct } from "constructs";
import type { Carrier, CliArgs, ObjectSpec, PruneSpec } from "./carrier";
import { MANIFEST_ENV, PAYLOAD_ENV } from "./carrier";
import { chunkedEnvironment } from "./payload-transport";
import { TerraformData } from "./terraform-data";
import { escapeTemplate } from "./terraform-values";

/** The default carrier: Terraform's built-in `terraform_data`, which needs no provider. */
export const terraformDataCarrier: Carrier = {
  object(scope: Construct, spec: ObjectSpec, cli: CliArgs) {
    const key = escapeTemplate(spec.key);
    // The key lives in `input`, not in a replace trigger: a changed key updates the identity in
    // place (no DELETE here), and the prune deletes the old key once dependents have moved on.
    const identity = new TerraformData(scope, "identity", {
      input: { kind: spec.kind, key, tenant: escapeTemplate(spec.tenant ?? "") },
      provisioners: [
        {
          type: "local-exec",
          when: "destroy",
          interpreter: [...cli.forCommand("delete"), "--kind", spec.kind, "--key"],
          command: "${self.input.key}",
        },
      ],
    });
    const transport = spec.payloadFile
      ? { flags: ["--file", spec.payloadFile], environment: undefined }
      : {
          flags: ["--payload-env", PAYLOAD_ENV],
          environment: chunkedEnvironment(PAYLOAD_ENV, "jsonencode(self.triggers_replace)"),
        };
    const apply = new TerraformData(scope, "apply", {
      triggersReplace: spec.terraformPayload,
      dependsOn: [identity],
      // A bare address, as Terraform's JSON syntax wants it here (not an interpolation).
      lifecycle: { replaceTriggeredBy: [dependable(identity)] },
      provisioners: [
        {
          type: "local-exec",
          interpreter: [
            ...cli.forCommand("apply"),
            "--kind",
            spec.kind,
            ...transport.flags,
            ...spec.applyFlags,
            "--key",
          ],
          command: key,
          // A Terraform expression producing the map of chunks (see chunkedEnvironment).
          environment: transport.environment as unknown as Record<string, string> | undefined,
        },
      ],
    });
    return { identity, apply };
  },

  prune(scope: Construct, spec: PruneSpec, cli: CliArgs) {
    const resource = new TerraformData(scope, "prune", {
      input: spec.manifest,
      triggersReplace: spec.manifest,
      provisioners: [
        {
          type: "local-exec",
          interpreter: [...cli.forCommand("prune"), "--manifest-env", MANIFEST_ENV, "--output"],
          command: spec.outputName,
          environment: chunkedEnvironment(
            MANIFEST_ENV,
            "jsonencode(self.input)",
          ) as unknown as Record<string, string>,
        },
      ],
    });
    return { resource, recorded: resource.output };
  },
};
