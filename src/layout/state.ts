/**
 * A stack's Terraform state, as `terraform state pull` prints it (the raw format, version 4) or
 * as `terraform show -json` does, reduced to what the steps and the review need: the instances of
 * each tenant's object blocks, with their payloads and markers, and the stack's outputs.
 */
import type { Kind } from "../payload/kinds";
import { CARRIER_ATTRIBUTES, isCarrierName } from "./carriers";
import { KINDS_IN_ORDER, blockName, entryName } from "./names";

export interface Instance {
  readonly type: string;
  readonly name: string;
  /** The for_each key, when the resource has one. */
  readonly index?: string;
  /** Set for an object deposed by a create-before-destroy replacement. */
  readonly deposed?: string;
  readonly tainted: boolean;
  readonly attributes: Record<string, unknown>;
}

export interface State {
  readonly instances: readonly Instance[];
  readonly outputs: Readonly<Record<string, unknown>>;
}

interface RawState {
  readonly resources?: {
    readonly mode?: string;
    readonly type: string;
    readonly name: string;
    readonly instances: {
      readonly index_key?: string | number;
      readonly status?: string;
      readonly deposed?: string;
      readonly attributes?: Record<string, unknown>;
    }[];
  }[];
  readonly outputs?: Record<string, { readonly value: unknown }>;
}

interface ShownState {
  readonly values?: {
    readonly outputs?: Record<string, { readonly value: unknown }>;
    readonly root_module?: {
      readonly resources?: {
        readonly mode?: string;
        readonly type: string;
        readonly name: string;
        readonly index?: string | number;
        readonly tainted?: boolean;
        readonly deposed_key?: string;
        readonly values?: Record<string, unknown>;
      }[];
    };
  };
}

const EMPTY: State = { instances: [], outputs: {} };

/** `terraform state pull` (raw) or `terraform show -json` text; empty text is an empty state. */
export function parseState(text: string): State {
  if (text.trim() === "") return EMPTY;
  const json = JSON.parse(text) as RawState & ShownState;
  const outputs = (source: Record<string, { value: unknown }> | undefined) =>
    Object.fromEntries(Object.entries(source ?? {}).map(([name, o]) => [name, o.value]));
  if (json.values !== undefined || json.resources === undefined) {
    const resources = json.values?.root_module?.resources ?? [];
    return {
      outputs: outputs(json.values?.outputs),
      instances: resources
        .filter((r) => r.mode !== "data")
        .map((r) => ({
          type: r.type,
          name: r.name,
          index: r.index === undefined ? undefined : String(r.index),
          deposed: r.deposed_key,
          tainted: r.tainted === true,
          attributes: r.values ?? {},
        })),
    };
  }
  return {
    outputs: outputs(json.outputs),
    instances: json.resources
      .filter((r) => r.mode !== "data")
      .flatMap((r) =>
        r.instances.map((i) => ({
          type: r.type,
          name: r.name,
          index: i.index_key === undefined ? undefined : String(i.index_key),
          deposed: i.deposed,
          tainted: i.status === "tainted",
          attributes:
            r.type === "terraform_data" ? unwrapDynamic(i.attributes) : (i.attributes ?? {}),
        })),
      ),
  };
}

/**
 * `terraform_data`'s attributes are of any type, which the raw state stores as
 * `{ "value": ..., "type": ... }`; `terraform show -json` prints the value alone.
 */
function unwrapDynamic(attributes: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    const wrapped =
      value !== null &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      "value" in value &&
      "type" in value &&
      Object.keys(value).length === 2;
    out[name] = wrapped ? (value as { value: unknown }).value : value;
  }
  return out;
}

/** One object of a tenant as the state holds it. */
export interface StateObject {
  readonly kind: Kind;
  readonly key: string;
  readonly instance: Instance;
  /** The payload as last applied (undefined when the state cannot say). */
  readonly payload: unknown;
  /** The plan timestamp that created it; undefined for objects of an earlier layout. */
  readonly marker?: string;
}

/** The current (not deposed) objects of a tenant's blocks. */
export function tenantObjects(state: State, prefix: string): StateObject[] {
  const objects: StateObject[] = [];
  for (const kind of KINDS_IN_ORDER) {
    const name = blockName(prefix, kind);
    for (const instance of state.instances) {
      if (instance.name !== name || instance.index === undefined || instance.deposed) continue;
      if (!isCarrierName(instance.type)) continue;
      const carrier = CARRIER_ATTRIBUTES[instance.type];
      objects.push({
        kind,
        key: instance.index,
        instance,
        payload: carrier.readPayload(instance.attributes),
        marker: carrier.readMarker(instance.attributes),
      });
    }
  }
  return objects;
}

/**
 * The keys of a kind whose instances Terraform will drop without their DELETE step: tainted ones
 * (a step failed) and deposed ones (a replacement whose new instance failed). Terraform runs no
 * destroy-time step for either, so a key that leaves the code with only such instances would
 * stay in Immuta for good; the confirm step deletes them.
 */
export function strandedKeys(state: State, prefix: string, kind: Kind): string[] {
  const name = blockName(prefix, kind);
  const keys = new Set<string>();
  const healthy = new Set<string>();
  for (const instance of state.instances) {
    if (instance.name !== name || instance.index === undefined || !isCarrierName(instance.type)) {
      continue;
    }
    if (instance.tainted || instance.deposed) keys.add(instance.index);
    else healthy.add(instance.index);
  }
  // A key with a healthy current instance is deleted by that instance's own step.
  return [...keys].filter((key) => !healthy.has(key)).sort();
}

/** Every `kind/key` a tenant's blocks hold an instance of, deposed and tainted ones too. */
export function tenantEntries(state: State, prefix: string): Set<string> {
  const entries = new Set<string>();
  for (const kind of KINDS_IN_ORDER) {
    const name = blockName(prefix, kind);
    for (const instance of state.instances) {
      if (instance.name === name && instance.index !== undefined) {
        entries.add(entryName(kind, instance.index));
      }
    }
  }
  return entries;
}

/**
 * The `kind/key` entries of a tenant that a stack of the 0.1.0 layout managed: each object had an
 * identity resource holding `{ kind, key, tenant }`. `legacyTenant` is what 0.1.0 wrote as tenant.
 */
export function legacyEntries(state: State, legacyTenant: string): string[] {
  const entries: string[] = [];
  for (const instance of state.instances) {
    const held = (instance.attributes.input ?? instance.attributes.triggers) as
      Record<string, unknown> | null | undefined;
    if (
      held &&
      typeof held.kind === "string" &&
      typeof held.key === "string" &&
      held.tenant === legacyTenant
    ) {
      entries.push(`${held.kind}/${held.key}`);
    }
  }
  return entries;
}
