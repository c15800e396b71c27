import type { Construct } from "constructs";
import { CARRIER_ATTRIBUTES } from "../src/layout/carriers";
import type { BlockSpec, Carrier } from "./carrier";
import { applyStep, deleteStep } from "./steps";
import { TerraformData } from "./terraform-data";

const attributes = CARRIER_ATTRIBUTES.terraform_data;

/** The default carrier: Terraform's built-in `terraform_data`, which needs no provider. */
export const terraformDataCarrier: Carrier = {
  name: "terraform_data",
  attributes,
  block(scope: Construct, spec: BlockSpec) {
    const block = new TerraformData(scope, spec.name, {
      instances: spec.instances,
      triggersReplace: `\${${spec.form.payload}}`,
      // The plan that created the instance; later plans leave it be (ignore_changes), and a
      // replacement takes the new one.
      input: "${plantimestamp()}",
      lifecycle: { createBeforeDestroy: true, ignoreChanges: ["input"] },
      provisioners: [
        applyStep(spec.kind, spec.tenant, spec.cli, attributes, spec.form),
        deleteStep(spec.kind, spec.tenant, spec.cli, attributes),
      ],
    });
    block.overrideLogicalId(spec.name);
    return block;
  },
};
