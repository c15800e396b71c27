/**
 * The escape from validation, for one object at a time: a connection or a data-policy rule's
 * `config` that Immuta accepts but our schemas do not know (a handler, field or masking type newer
 * than them, or one Immuta's documentation is silent about). It is written in the code, where a
 * reviewer sees it: `unchecked({ ... })` in TypeScript, `"$unchecked": true` in a payload file.
 * There is no global switch. The marker is the validator's alone: it is removed before a payload
 * is sent, so it never reaches Immuta. Pure and light (the CLI loads it on every apply).
 */

/** The field that marks an object unchecked, in payload files and at run time. */
export const UNCHECKED = "$unchecked";

/** Where the marker is honoured, as people read it in messages. */
export const UNCHECKED_PLACES = "a connection or a data-policy rule's config";

declare const uncheckedBrand: unique symbol;

/**
 * An object the validator leaves unchecked. The brand exists in the types only: a plain object
 * literal cannot pass for one by accident, so a typo in a checked object stays a type error.
 */
export interface Unchecked {
  readonly [uncheckedBrand]: true;
  readonly $unchecked: true;
}

/**
 * Marks a connection or a rule's `config` as unchecked: the validator then skips it (a connection
 * still needs a `handler`), and the marker is removed before the payload is sent.
 *
 * ```ts
 * connection: unchecked({ handler: "Oracle", hostname: "db.example", database: "SALES" }),
 * ```
 */
export function unchecked<T extends object>(value: T): T & Unchecked {
  return { ...value, [UNCHECKED]: true } as T & Unchecked;
}

/** Whether an object carries the marker (`"$unchecked": true`). */
export function isUnchecked(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === "object" &&
    (value as Record<string, unknown>)[UNCHECKED] === true
  );
}

/**
 * The payload without any `$unchecked` field, at any depth: what is sent to Immuta. Objects
 * without one are returned as they are (no copy), so the common case costs one walk.
 */
export function withoutMarkers<T>(payload: T): T {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      value.forEach((item, i) => {
        const stripped = strip(item);
        if (stripped !== item) (out ??= [...value])[i] = stripped;
      });
      return out ?? value;
    }
    if (value === null || typeof value !== "object") return value;
    const source = value as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(source)) {
      if (key === UNCHECKED) {
        out ??= { ...source };
        delete out[UNCHECKED];
        continue;
      }
      const stripped = strip(source[key]);
      if (stripped !== source[key]) (out ??= { ...source })[key] = stripped;
    }
    return out ?? value;
  };
  return strip(payload) as T;
}
