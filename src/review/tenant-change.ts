/**
 * Each tenant of a stack as payloads, before a deploy and after it: what the access simulation
 * compares. Before is what Terraform last applied (the saved plan's prior values, or the state);
 * after is what the plan (or the configuration) applies, and nothing of what it deletes.
 */
import { isCarrierName } from "../layout/carriers";
import { KINDS_IN_ORDER, blockName } from "../layout/names";
import { tenantObjects, type State } from "../layout/state";
import { subject } from "../cli/outcome";
import type { Kind } from "../payload/kinds";
import type { StackConfiguration } from "./stack-config";
import { instanceId, payloadOf, type PlannedChange } from "./terraform-json";

export interface TenantChange {
  readonly prefix: string;
  readonly before: readonly unknown[];
  readonly after: readonly unknown[];
  /**
   * Objects whose new payload holds values known only after apply, by how they are simulated:
   * as last deployed, or (new to the tenant) left out. Each as `purpose "Research"`.
   */
  readonly asDeployed: readonly string[];
  readonly leftOut: readonly string[];
}

/** Which tenant's which kind a resource block holds, by its name. */
export function blockOf(
  config: StackConfiguration,
  type: string,
  name: string,
): { kind: Kind; tenant: string } | undefined {
  for (const prefix of config.tenants.keys()) {
    for (const kind of KINDS_IN_ORDER) {
      if (name === blockName(prefix, kind) && isCarrierName(type)) {
        return { kind, tenant: prefix };
      }
    }
  }
  return undefined;
}

export function tenantChanges(
  config: StackConfiguration,
  plan: ReadonlyMap<string, PlannedChange> | undefined,
  state: State | undefined,
): TenantChange[] {
  return [...config.tenants.keys()].map((prefix) => {
    const before = new Map<string, unknown>();
    const after = new Map<string, unknown>();
    const asDeployed: string[] = [];
    const leftOut: string[] = [];
    const id = (kind: Kind, key: string) => `${kind}/${key}`;
    if (!plan) {
      for (const o of state ? tenantObjects(state, prefix) : [])
        before.set(id(o.kind, o.key), o.payload);
    }
    for (const object of config.objects) {
      if (object.tenant !== prefix) continue;
      const at = id(object.kind, object.key);
      const change = plan?.get(instanceId(object.type, object.block, object.key));
      // A plan that leaves an object out (-target) leaves it as it is: as the code declares it.
      const unplanned = plan !== undefined && change === undefined;
      const now = change
        ? payloadOf(object.type, change.after, change.afterUnknown)
        : object.desired;
      const was = change
        ? payloadOf(object.type, change.before)?.payload
        : unplanned && now?.unknown.length === 0
          ? now.payload
          : before.get(at);
      if (was !== undefined) before.set(at, was);
      if (!now || now.unknown.length === 0) {
        if (now) after.set(at, now.payload);
        continue;
      }
      if (was !== undefined) after.set(at, was);
      const named = `${subject(object.kind, object.key)} (${now.unknown.join(", ")})`;
      (was !== undefined ? asDeployed : leftOut).push(named);
    }
    for (const [key, change] of plan ?? []) {
      if (change.action !== "delete") continue;
      const [type, name, index] = JSON.parse(key) as [string, string, string | null];
      const block = blockOf(config, type, name);
      const was = payloadOf(type, change.before)?.payload;
      if (block?.tenant === prefix && index !== null && was !== undefined) {
        before.set(id(block.kind, index), was);
      }
    }
    return {
      prefix,
      before: [...before.values()],
      after: [...after.values()],
      asDeployed,
      leftOut,
    };
  });
}
