/**
 * The way from cdktf-immuta 0.1.0's layout (two resources per object, `<construct>_apply_<hash>`
 * and `<construct>_identity_<hash>`) to this one, without a request to Immuta: a `moved` block per
 * object takes its 0.1.0 apply resource to its instance of the kind's block (same payload, so no
 * replacement), and the identities, whose blocks are gone, are dropped without their destroy step.
 * The blocks go in their own file of the stack directory, beside cdk.tf.json (Terraform reads
 * every *.tf.json there), so that they never mix with moves cdktf itself writes. A `moved` block
 * whose source is not in the state is a no-op.
 */
import { writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Construct, TerraformStack, addCustomSynthesis } from "./cdk";
import { escapeTemplate } from "./terraform-values";

const ID = "ImmutaLegacyMoves";
export const LEGACY_MOVES_FILE = "immuta-upgrade.tf.json";

export class LegacyMoves extends Construct {
  static of(scope: Construct): LegacyMoves {
    const stack = TerraformStack.of(scope);
    return (stack.node.tryFindChild(ID) as LegacyMoves | undefined) ?? new LegacyMoves(stack);
  }

  private readonly moves: { from: string; to: string }[] = [];

  private constructor(private readonly stack: TerraformStack) {
    super(stack, ID);
    addCustomSynthesis(this, {
      // Where this synthesis writes the stack (cdktf's Testing.fullSynth uses an outdir of its own).
      onSynthesize: (session) => {
        const stackDir = session.manifest.forStack(stack).workingDirectory;
        const file = join(session.outdir, stackDir, LEGACY_MOVES_FILE);
        if (this.moves.length === 0) return rmSync(file, { force: true });
        writeFileSync(file, `${JSON.stringify({ moved: this.moves }, null, 2)}\n`);
      },
    });
  }

  /**
   * Moves what 0.1.0 synthesized for the object at `objectScope` to `to` (a block instance).
   * @param type the 0.1.0 resource type (the carrier's)
   */
  add(objectScope: Construct, type: string, blockAddress: string, key: string): void {
    // 0.1.0's apply resource was the construct `apply` under the object: its logical id is
    // allocated the way the stack allocates every id (a stack may override the scheme).
    const node = { scopes: [...objectScope.node.scopes, { node: { id: "apply" } }] };
    const allocate = (this.stack as unknown as { allocateLogicalId(n: unknown): string })
      .allocateLogicalId;
    const legacyId = allocate.call(this.stack, node);
    this.moves.push({
      from: `${type}.${legacyId}`,
      to: `${blockAddress}[${JSON.stringify(escapeTemplate(key))}]`,
    });
  }
}
