/**
 * The optional carrier: `null_resource` from the hashicorp/null provider, for teams whose
 * policies prefer it. Its triggers are a map of strings, so payloads travel as JSON strings that
 * Terraform encodes from a local value (a local, unlike an expression written by cdktf, keeps
 * literal strings byte for byte, see terraform-values.ts).
 *
 * One difference from terraform_data: a null_resource has no `input`, so an identity holds its key
 * in `triggers`, and changing an object's key replaces the identity, which DELETEs the old key
 * at once (before dependents are updated); the prune would have deleted it anyway.
 */
import { Fn, TerraformLocal, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { Resource as NullResource } from "@cdktf/provider-null/lib/resource";
import type { Carrier, CliArgs, ObjectSpec, PruneSpec } from "./carrier";
import { applyStep, deleteStep, pruneStep } from "./steps";
import { addressOf, escapeTemplate } from "./terraform-values";

const stacksWithNullProvider = new WeakSet<TerraformStack>();

/** The null provider the resources need, once per stack (unless the user configured one). */
function ensureNullProvider(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  if (stacksWithNullProvider.has(stack)) return;
  stacksWithNullProvider.add(stack);
  if (!stack.node.findAll().some((c) => c instanceof NullProvider)) {
    new NullProvider(stack, "immuta_null_provider");
  }
}

function jsonOf(scope: Construct, id: string, value: unknown): string {
  return Fn.jsonencode(new TerraformLocal(scope, id, value).asAnyMap);
}

export const nullResourceCarrier: Carrier = {
  object(scope: Construct, spec: ObjectSpec, cli: CliArgs) {
    ensureNullProvider(scope);
    const identity = new NullResource(scope, "identity", {
      triggers: {
        kind: spec.kind,
        key: escapeTemplate(spec.key),
        tenant: escapeTemplate(spec.tenant ?? ""),
      },
      provisioners: [deleteStep(spec, cli, "${self.triggers.key}")],
    });
    const apply = new NullResource(scope, "apply", {
      triggers: {
        payload:
          typeof spec.terraformPayload === "string"
            ? spec.terraformPayload
            : jsonOf(scope, "payload_json", spec.terraformPayload),
      },
      // A bare address, as Terraform's JSON syntax wants it here (not an interpolation). It is
      // also the dependency on the identity: created after it, destroyed before it.
      lifecycle: { replaceTriggeredBy: [addressOf(identity)] },
      provisioners: [applyStep(spec, cli, "self.triggers.payload")],
    });
    return { identity, apply };
  },

  prune(scope: Construct, spec: PruneSpec, cli: CliArgs) {
    ensureNullProvider(scope);
    const resource = new NullResource(scope, "prune", {
      triggers: { manifest: jsonOf(scope, "manifest_json", spec.manifest) },
      provisioners: [pruneStep(spec.outputName, cli, "self.triggers.manifest")],
    });
    return { resource, recorded: Fn.jsondecode(Fn.lookup(resource.triggers, "manifest")) };
  },
};
