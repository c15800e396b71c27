/**
 * A thin binding of Terraform's built-in `terraform_data` resource. cdktf's own `DataResource`
 * adds a Terraform version check that spawns `terraform version` once per resource during synth
 * (2,000 resources took minutes); this binding has none, so synth stays linear and spawns nothing.
 */
import type { IResolvable, TerraformMetaArguments } from "cdktf";
import { TerraformResource, anyToHclTerraform } from "./cdk";
import type { Construct } from "constructs";

export interface TerraformDataConfig extends TerraformMetaArguments {
  /**
   * An instance per key of this map (`each.key`, `each.value` in the other arguments). The
   * `for_each` meta-argument as a plain value: cdktf's own iterators add nodes we do not need.
   */
  readonly instances?: unknown;
  /** Stored in state and echoed as `output`; a change updates the resource in place. */
  readonly input?: unknown;
  /** A change replaces the resource, which re-runs its create-time provisioners. */
  readonly triggersReplace?: unknown;
}

export class TerraformData extends TerraformResource {
  static readonly tfResourceType = "terraform_data";

  private readonly inputValue: unknown;
  private readonly triggersReplaceValue: unknown;

  constructor(scope: Construct, id: string, config: TerraformDataConfig = {}) {
    super(scope, id, {
      terraformResourceType: TerraformData.tfResourceType,
      terraformGeneratorMetadata: { providerName: "terraform" },
      dependsOn: config.dependsOn,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      count: config.count,
      forEach: config.forEach,
      provider: config.provider,
      connection: config.connection,
    });
    // Not an attribute: cdktf merges its own (undefined) for_each over the attributes.
    if (config.instances !== undefined) this.addOverride("for_each", config.instances);
    this.inputValue = config.input;
    this.triggersReplaceValue = config.triggersReplace;
  }

  /** The `output` attribute: `input` as applied. */
  get output(): IResolvable {
    return this.interpolationForAttribute("output");
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      input: this.inputValue,
      triggers_replace: this.triggersReplaceValue,
    };
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return {
      input: anyToHclTerraform(this.inputValue),
      triggers_replace: anyToHclTerraform(this.triggersReplaceValue),
    };
  }
}
