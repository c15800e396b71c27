/**
 * The Immuta objects of a construct tree (a stack, or a whole app), before synthesis. Each token
 * in a payload is resolved as synthesis resolves it, then read back as the stack reader reads the
 * synthesized configuration: a value synthesis computes (a `Lazy`) becomes that literal, a value
 * from another resource is reported as known only at apply time. Only tokens are resolved
 * (resolving a whole payload would drop its empty lists, and `owners: []` means something).
 */
import { DefaultTokenResolver, StringConcat, Tokenization } from "../../providers/cdk";
import type { IConstruct } from "constructs";
import { isToken, toTerraformValue } from "../../providers/terraform-values";
import { ImmutaObject } from "../constructs/immuta-object";
import { fromConfiguration } from "../review/terraform-values";
import type { StackObject } from "./stack-objects";

const RESOLVER = new DefaultTokenResolver(new StringConcat());

export function objectsOfConstructs(scope: IConstruct): StackObject[] {
  return scope.node
    .findAll()
    .filter((c): c is ImmutaObject => c instanceof ImmutaObject)
    .map((object) => {
      const unknown: string[] = [];
      const payload = readValue(object.payload, "", object, unknown);
      return {
        kind: object.kind,
        key: object.key,
        where: object.node.path,
        tenant: object.provider.prefix,
        payload,
        unknown,
      };
    });
}

function readValue(value: unknown, path: string, scope: IConstruct, unknown: string[]): unknown {
  if (isToken(value)) {
    const resolved = Tokenization.resolve(toTerraformValue(value), {
      scope,
      resolver: RESOLVER,
      preparing: false,
    });
    const read = fromConfiguration(resolved);
    for (const inner of read.unknown) {
      if (inner === "(payload)") unknown.push(path || "(payload)");
      else
        unknown.push(path === "" || inner.startsWith("[") ? `${path}${inner}` : `${path}.${inner}`);
    }
    return read.payload;
  }
  if (Array.isArray(value))
    return value.map((v, i) => readValue(v, `${path}[${i}]`, scope, unknown));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = readValue(v, path ? `${path}.${k}` : k, scope, unknown);
    }
    return out;
  }
  return value;
}
