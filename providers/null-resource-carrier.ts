/**
 * The optional carrier: `null_resource` from the hashicorp/null provider, for teams whose
 * policies prefer it. Its triggers are a map of strings, so a payload holding apply-time values
 * travels as its JSON encoding, and the plan timestamp sits beside it (ignored by later plans).
 */
import type { Construct } from "constructs";
import { TerraformStack } from "./cdk";
import { SynthError } from "../src/errors";
import { CARRIER_ATTRIBUTES } from "../src/layout/carriers";
import type { BlockSpec, Carrier } from "./carrier";
import { applyStep, deleteStep } from "./steps";

/**
 * The hashicorp/null provider's bindings, for the optional `null_resource` carrier only. They are
 * built on cdktf itself, so that carrier needs `@cdktf/provider-null` and cdktf installed.
 */
function nullProviderBindings(): {
  NullProvider: typeof import("@cdktf/provider-null/lib/provider").NullProvider;
  NullResource: typeof import("@cdktf/provider-null/lib/resource").Resource;
} {
  try {
    return {
      NullProvider: require("@cdktf/provider-null/lib/provider").NullProvider,
      NullResource: require("@cdktf/provider-null/lib/resource").Resource,
    };
  } catch (error) {
    throw new SynthError(
      `carrier "null_resource" needs the @cdktf/provider-null package and cdktf ` +
        `(npm install @cdktf/provider-null cdktf), or use the default carrier, ` +
        `"terraform_data", which needs no provider (${(error as Error).message.split("\n")[0]})`,
    );
  }
}

const { NullProvider, NullResource } = nullProviderBindings();
const attributes = CARRIER_ATTRIBUTES.null_resource;
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

export const nullResourceCarrier: Carrier = {
  name: "null_resource",
  attributes,
  block(scope: Construct, spec: BlockSpec) {
    ensureNullProvider(scope);
    const resource = new NullResource(scope, spec.name, {
      triggers: {
        payload: `\${try(tostring(${spec.form.payload}), jsonencode(${spec.form.payload}))}`,
        planned: "${plantimestamp()}",
      },
      lifecycle: { createBeforeDestroy: true, ignoreChanges: ['triggers["planned"]'] },
      provisioners: [
        applyStep(spec.kind, spec.tenant, spec.cli, attributes, spec.form),
        deleteStep(spec.kind, spec.tenant, spec.cli, attributes),
      ],
    });
    resource.addOverride("for_each", spec.instances);
    resource.overrideLogicalId(spec.name);
    return resource;
  },
};
