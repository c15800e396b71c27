/**
 * The Immuta objects of a synthesized stack directory (`cdktf.out/stacks/NAME`), read through
 * the descriptions the provider layer writes (the reader `plan` and `drift` use). Free of cdktf,
 * so that the CLI reads a stack without loading it.
 */
import { readStackConfiguration } from "../review/stack-config";
import type { StackObject } from "./stack-objects";

export function objectsOfDirectory(stackDir: string): StackObject[] {
  return readStackConfiguration(stackDir).objects.map((o) => ({
    kind: o.kind,
    key: o.key,
    where: `${o.type}.${o.block}[${JSON.stringify(o.key)}]`,
    tenant: o.tenant,
    payload: o.desired.payload,
    unknown: o.desired.unknown,
  }));
}
