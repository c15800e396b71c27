import type { Construct } from "constructs";
import type { Carrier, CliArgs, ObjectSpec, PruneSpec } from "./carrier";
import { applyStep, deleteStep, pruneStep } from "./steps";
import { TerraformData } from "./terraform-data";
import { addressOf, escapeTemplate } from "./terraform-values";

/** The default carrier: Terraform's built-in `terraform_data`, which needs no provider. */
export const terraformDataCarrier: Carrier = {
  object(scope: Construct, spec: ObjectSpec, cli: CliArgs) {
    // The key lives in `input`, not in a replace trigger: a changed key updates the identity in
    // place (no DELETE here), and the prune deletes the old key once dependents have moved on.
    const identity = new TerraformData(scope, "identity", {
      input: {
        kind: spec.kind,
        key: escapeTemplate(spec.key),
        tenant: escapeTemplate(spec.tenant ?? ""),
      },
      provisioners: [deleteStep(spec, cli, "${self.input.key}")],
    });
    const apply = new TerraformData(scope, "apply", {
      triggersReplace: spec.terraformPayload,
      // A bare address, as Terraform's JSON syntax wants it here (not an interpolation). It is
      // also the dependency on the identity: created after it, destroyed before it.
      lifecycle: { replaceTriggeredBy: [addressOf(identity)] },
      provisioners: [
        applyStep(
          spec,
          cli,
          typeof spec.terraformPayload === "string"
            ? "self.triggers_replace"
            : "jsonencode(self.triggers_replace)",
        ),
      ],
    });
    return { identity, apply };
  },

  prune(scope: Construct, spec: PruneSpec, cli: CliArgs) {
    const resource = new TerraformData(scope, "prune", {
      input: spec.manifest,
      triggersReplace: spec.manifest,
      provisioners: [pruneStep(spec.outputName, cli, "jsonencode(self.input)")],
    });
    return { resource, recorded: resource.output };
  },
};
