/**
 * Reading payloads back out of Terraform's JSON: the synthesized configuration (where literal
 * strings are escaped templates and values from other resources are `${...}` expressions), and
 * `terraform show -json` output (where values are plain, and unknown ones are flagged aside).
 */

/** A payload read from Terraform, with the field paths whose values are known only after apply. */
export interface ReadPayload {
  readonly payload: unknown;
  readonly unknown: readonly string[];
}

/** An interpolation or a directive, once the escaped ones (`$${`, `%%{`) are taken out. */
const EXPRESSION = /\$\{|%\{/;

/**
 * A value of the synthesized configuration as Terraform will read it: escaped literals unescaped,
 * and each string holding an expression reported as unknown (its value comes at apply time).
 */
export function fromConfiguration(value: unknown): ReadPayload {
  const unknown: string[] = [];
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === "string") {
      if (EXPRESSION.test(v.replace(/\$\$\{|%%\{/g, ""))) {
        unknown.push(path || "(payload)");
        return v;
      }
      return v.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${path}[${i}]`));
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) {
        const name = k.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
        out[name] = walk(item, path ? `${path}.${name}` : name);
      }
      return out;
    }
    return v;
  };
  return { payload: walk(value, ""), unknown };
}

/**
 * What a carrier resource holds in the configuration: a payload known at synth is its canonical
 * JSON text (escaped like any literal); one with apply-time values is a Terraform value.
 */
export function fromCarrierValue(value: unknown): ReadPayload {
  if (typeof value !== "string") return fromConfiguration(value);
  const read = fromConfiguration(value);
  return read.unknown.length > 0
    ? read
    : { payload: JSON.parse(read.payload as string), unknown: [] };
}

/** The paths flagged in a plan's `after_unknown` (true wherever a value is not known yet). */
export function unknownPaths(flags: unknown, path = ""): string[] {
  if (flags === true) return [path || "(payload)"];
  if (Array.isArray(flags)) return flags.flatMap((f, i) => unknownPaths(f, `${path}[${i}]`));
  if (flags !== null && typeof flags === "object") {
    return Object.entries(flags).flatMap(([k, f]) => unknownPaths(f, path ? `${path}.${k}` : k));
  }
  return [];
}
