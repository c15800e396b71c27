/**
 * A carrier is the kind of Terraform resource that carries the V2 API calls: `terraform_data`
 * (built in, the default) or `null_resource` (from the hashicorp/null provider). Both give the
 * same three resources per tenant, arranged as ../shared/spec/convergence.md describes:
 *
 * - per object, an **identity** (keyed by construct address, holding the object's key) whose
 *   destroy-time step DELETEs the key: `cdktf destroy` deletes every object, dependents first;
 * - per object, an **apply** resource replaced whenever the payload changes, whose create-time
 *   step POSTs it: an update is one POST, never a DELETE;
 * - per tenant, one **prune** resource that runs after every apply and DELETEs what the previous
 *   deploy managed and this one does not (a removed construct, an old key).
 */
import type { IResolvable, TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import type { Kind } from "../src/payload/kinds";

export type CarrierName = "terraform_data" | "null_resource";

/** What a carrier needs to know about one object. */
export interface ObjectSpec {
  readonly kind: Kind;
  /** The object's key, literal. */
  readonly key: string;
  /**
   * The payload for the configuration: its canonical JSON text when it is known at synth (one
   * string: cheap to synthesize, and Terraform still shows a changed JSON string field by
   * field), else a Terraform value holding the tokens. Literal text is escaped either way.
   */
  readonly terraformPayload: string | object;
  /** When the payload travels as a file: its path relative to the stack directory. */
  readonly payloadFile?: string;
  /** The query flags of this object's apply (`--wait=300`, `--re-certify`, ...). */
  readonly applyFlags: readonly string[];
  /**
   * Which tenant the object belongs to. The identity holds it, and the apply resource is
   * replaced (so POSTs again) whenever the identity changes: an object moved to another
   * provider, or a provider given another url, is created there; the old tenant's prune deletes it.
   */
  readonly tenant?: string;
}

export interface ObjectResources {
  readonly identity: TerraformResource;
  readonly apply: TerraformResource;
}

/** The CLI invocations a tenant's resources run. */
export interface CliArgs {
  /** `[node, bin, <command>, ...connection flags]` */
  forCommand(command: "apply" | "delete" | "prune"): string[];
}

export interface PruneSpec {
  /** The sorted `kind/key` list this deploy manages for the tenant. */
  readonly manifest: IResolvable;
  /** The stack output that records the list once the prune succeeded. */
  readonly outputName: string;
}

export interface Carrier {
  object(scope: Construct, spec: ObjectSpec, cli: CliArgs): ObjectResources;
  prune(
    scope: Construct,
    spec: PruneSpec,
    cli: CliArgs,
  ): { resource: TerraformResource; recorded: unknown };
}
