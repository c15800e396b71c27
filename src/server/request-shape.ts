/** Checks of a request body's shape shared by the routes that read one by hand (not by schema). */
import type { Problem } from "../errors";

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Adds a problem for each field of `value` not in `allowed`, its path under `prefix`. */
export function unknownFields(
  value: Record<string, unknown>,
  allowed: readonly string[],
  prefix: string,
  problems: Problem[],
): void {
  for (const field of Object.keys(value)) {
    if (!allowed.includes(field)) {
      problems.push({
        path: `${prefix}${field}`,
        message: `unknown field (allowed: ${allowed.join(", ")})`,
      });
    }
  }
}
