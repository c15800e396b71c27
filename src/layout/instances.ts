/**
 * Where a block's instances are written: a local value named after the block (`<block>_instances`), which the block's
 * `for_each` references. Terraform evaluates a literal `for_each` map again for every instance it
 * plans, so a literal costs time quadratic in the instances (measured with Terraform 1.11.4: 500
 * objects in one block, a 40 s plan; 250, 9.3 s; 125, 2.6 s); a local value is evaluated once
 * (500 objects: 1.2 s). Providers write it and the review and the steps read it, from here.
 */

/** The local value holding a block's instances. */
export const instancesLocal = (block: string): string => `${block}_instances`;

/** The block's `for_each`: a reference to its local value. */
export const forEachReference = (block: string): string => `\${local.${instancesLocal(block)}}`;

const REFERENCE = /^\$\{local\.([A-Za-z0-9_-]+)\}$/;

/**
 * A block's instances (object key, escaped for Terraform, to its value, expanded) from a
 * synthesized configuration: the local value its `for_each` references, or a literal map.
 */
export function blockInstances<T = unknown>(
  config: { readonly locals?: Readonly<Record<string, unknown>> },
  block: { readonly for_each?: unknown },
): Record<string, T> {
  const forEach = block.for_each;
  const reference = typeof forEach === "string" ? REFERENCE.exec(forEach) : null;
  const value = reference ? config.locals?.[reference[1]] : forEach;
  if (value === null || typeof value !== "object") return {};
  return Object.fromEntries(
    Object.entries(value).map(([key, instance]) => [key, expandInstance(instance) as T]),
  );
}

/** What a block's instances hold for one object. */
export interface InstanceValue {
  /** The payload: its canonical JSON text, or a Terraform value holding tokens. */
  readonly p: string | object;
  /** The payload file, relative to the stack directory, or "". */
  readonly f: string;
  /** The apply step's query flags (`--wait=300`, ...). */
  readonly a: readonly string[];
}

/** An object that is its payload text alone: no payload file, no flags, nothing unknown. */
export function isPlainText(value: InstanceValue): boolean {
  return typeof value.p === "string" && value.f === "" && value.a.length === 0;
}

/** How a block's expressions read its instances (`each.value`), all written one way. */
export interface InstanceForm {
  readonly payload: string;
  readonly file: string;
  readonly flags: string;
}

/**
 * Each instance as its payload text alone: for a block whose objects are all plain text (most
 * purposes, policies and projects). Terraform re-reads the whole `for_each` value for every
 * instance; plain strings cost it much less than objects (1,000 objects in one block: a no-op
 * apply of 2.4 s against 4.5 s). The form is chosen per block, not per instance: an expression
 * able to read either (`try(each.value.p, each.value)`) turns a payload holding values known only
 * after apply into one wholly unknown, and the plan would no longer show which fields those are.
 */
export const TEXT_FORM: InstanceForm = { payload: "each.value", file: '""', flags: "[]" };

/** Each instance as `{ p, f, a }`. */
export const OBJECT_FORM: InstanceForm = {
  payload: "each.value.p",
  file: "each.value.f",
  flags: "each.value.a",
};

export function blockForm(values: Iterable<InstanceValue>): InstanceForm {
  for (const value of values) if (!isPlainText(value)) return OBJECT_FORM;
  return TEXT_FORM;
}

/** An instance as the block's form writes it. */
export function writtenInstance(value: InstanceValue, form: InstanceForm): unknown {
  return form === TEXT_FORM ? value.p : value;
}

/** An instance read back from the configuration, written either way. */
export function expandInstance(value: unknown): Partial<InstanceValue> {
  return typeof value === "string" ? { p: value, f: "", a: [] } : (value as Partial<InstanceValue>);
}
