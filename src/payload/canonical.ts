/**
 * Canonical JSON: keys sorted by code point, no whitespace, `undefined` fields dropped. The same
 * desired state always gives the same bytes, hence the same Terraform plan (a reordered YAML file
 * must not show as a change).
 */

function compareCodePoints(a: string, b: string): number {
  // Code point order, which is also UTF-8 byte order (what Terraform's jsonencode sorts by);
  // plain `<` compares UTF-16 units and differs for characters beyond U+FFFF.
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}

function isAscii(s: string): boolean {
  return /^[\x00-\x7f]*$/.test(s);
}

function sortKeys(keys: string[]): string[] {
  return keys.every(isAscii) ? keys.sort() : keys.sort(compareCodePoints);
}

/** The value with object keys in canonical order and `undefined` fields removed. */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map((item) => (item === undefined ? null : canonicalize(item)));
  if (value !== null && typeof value === "object") {
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of sortKeys(Object.keys(source))) {
      if (source[key] !== undefined) out[key] = canonicalize(source[key]);
    }
    return out;
  }
  return value;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}
