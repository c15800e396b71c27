/**
 * Problems in the order of the payload's own fields, as one reads it (ajv's order follows the
 * schema). Each object's field positions are indexed once, on first use, so that ordering costs
 * time in proportion to the payload and the problems, never their product: 10,000 unknown fields
 * are 10,000 lookups, not 10,000 scans of 10,000 keys.
 */

/** Where a problem sits: the position of each path segment among its parent's fields. */
export type Position = readonly number[];

/** Sorts after every field that is there: a missing field, or a path through a non-object. */
const AFTER = Number.MAX_SAFE_INTEGER;

export class DocumentOrder {
  private readonly indexes = new WeakMap<object, Map<string, number>>();

  constructor(private readonly root: unknown) {}

  /** The position of a path (its segments), the last one possibly a missing field. */
  position(segments: readonly string[]): Position {
    const order: number[] = [];
    let value = this.root;
    for (const segment of segments) {
      if (value === null || typeof value !== "object") {
        order.push(AFTER);
        continue;
      }
      const position = Array.isArray(value)
        ? Number(segment)
        : (this.index(value).get(segment) ?? AFTER);
      order.push(Number.isInteger(position) ? position : AFTER);
      value = (value as Record<string, unknown>)[segment];
    }
    return order;
  }

  private index(value: object): Map<string, number> {
    let index = this.indexes.get(value);
    if (!index) {
      index = new Map(Object.keys(value).map((key, i) => [key, i]));
      this.indexes.set(value, index);
    }
    return index;
  }
}

export function comparePositions(a: Position, b: Position): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
