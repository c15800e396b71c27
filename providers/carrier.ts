/**
 * A carrier is the kind of Terraform resource that carries one tenant's objects: `terraform_data`
 * (built in, the default) or `null_resource` (from the hashicorp/null provider). Either way a
 * tenant synthesizes, as ../shared/spec/convergence.md describes:
 *
 * - per kind, one **block** with an instance per object (`for_each`, keyed by the object's key),
 *   `create_before_destroy`, a create-time step that POSTs the payload and a destroy-time step
 *   that DELETEs the key. A changed payload replaces the instance: one POST, and the deposed
 *   instance goes without its destroy step. A removed key destroys its instance, whose step runs
 *   because the block is still in the configuration, after whatever named it was updated. An
 *   object whose deploy failed is still an instance, so it is deleted when it leaves the code.
 * - per tenant, a **guard** (runs first, when keys are added) and a **confirm** step (runs last,
 *   when anything was re-created): see tenant.ts.
 */
import type { TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import type { CarrierAttributes, CarrierName } from "../src/layout/carriers";
import type { InstanceForm } from "../src/layout/instances";
import type { Kind } from "../src/payload/kinds";

export type { CarrierName };

/** The CLI invocations a tenant's resources run. */
export interface CliArgs {
  /** `[node, bin, <command>, ...connection flags]` */
  forCommand(command: "apply" | "delete" | "guard" | "confirm"): string[];
}

/** What a carrier needs to make one kind's block. */
export interface BlockSpec {
  readonly kind: Kind;
  /** The block's resource name (`immuta_purpose`). */
  readonly name: string;
  /** The tenant's name prefix (`immuta`). */
  readonly tenant: string;
  /** The block's `for_each`: a reference to the local value holding its instances. */
  readonly instances: string;
  /** How the block's expressions read an instance (decided at synth, from all of them). */
  readonly form: InstanceForm;
  readonly cli: CliArgs;
}

export interface Carrier {
  readonly name: CarrierName;
  readonly attributes: CarrierAttributes;
  block(scope: Construct, spec: BlockSpec): TerraformResource;
}
