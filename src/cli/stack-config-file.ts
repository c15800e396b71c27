/**
 * The objects a tenant declares in the synthesized configuration of the stack a step runs in
 * (`cdk.tf.json` in the current directory): each kind's block, its instances' keys, payloads (when
 * known at synth) and apply flags.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fromCarrierValue, fromConfiguration } from "../review/terraform-values";
import { blockInstances } from "../layout/instances";
import { blockName } from "../layout/names";
import type { Kind } from "../payload/kinds";

export interface DeclaredObject {
  readonly key: string;
  /** Undefined when the payload holds values known only at apply time. */
  readonly payload?: unknown;
  readonly flags: readonly string[];
}

interface InstanceJson {
  readonly p?: unknown;
  readonly a?: readonly string[];
}

/** The declared objects of one kind of a tenant, or undefined when the file is not there. */
export function declaredObjects(
  stackDir: string,
  prefix: string,
  kind: Kind,
): DeclaredObject[] | undefined {
  let config: {
    locals?: Record<string, unknown>;
    resource?: Record<string, Record<string, { for_each?: unknown }>>;
  };
  try {
    config = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
  } catch {
    return undefined;
  }
  const name = blockName(prefix, kind);
  for (const byName of Object.values(config.resource ?? {})) {
    const block = byName[name];
    if (!block) continue;
    const instances = blockInstances<InstanceJson>(config, block);
    return Object.entries(instances).map(([escapedKey, value]) => {
      const read = value.p === undefined ? undefined : fromCarrierValue(value.p);
      return {
        key: fromConfiguration(escapedKey).payload as string,
        payload: read && read.unknown.length === 0 ? read.payload : undefined,
        flags: (value.a ?? []).map((flag) => String(fromConfiguration(flag).payload)),
      };
    });
  }
  return undefined;
}
