/**
 * ajv's errors, worded the way a compiler would say them: the field path, what is wrong, the
 * value received (never a secret's) and what is allowed, with "did you mean" for a likely typo.
 */
import type { ErrorObject } from "ajv";
import type { Problem } from "../errors";
import { SECRET_FIELDS, isEnvSecret } from "./secrets";
import { UNCHECKED } from "./unchecked";

/** Fields of ours that are not Immuta's: an editor's `$schema`, the `$unchecked` escape. */
const MARKERS: ReadonlySet<string> = new Set(["$schema", UNCHECKED]);

export function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** `/sources/3/table` → `sources[3].table`. */
export function fieldPath(segments: readonly string[]): string {
  let path = "";
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) path += path === "" ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  object: "an object",
  array: "a list",
  null: "null",
};

/** The value received, briefly; secret fields show their type only. */
function describe(value: unknown, secret: boolean): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return isEnvSecret(value) ? "a secret placeholder" : "an object";
  if (secret) return `${TYPE_NAMES[typeof value] ?? typeof value} (value redacted)`;
  if (typeof value === "string") {
    const json = JSON.stringify(value);
    return json.length > 60 ? `${json.slice(0, 57)}..."` : json;
  }
  return `${typeof value} ${String(value)}`;
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

/**
 * The allowed name a given one was most likely meant to be, for "did you mean": a close spelling,
 * or else the one allowed name it abbreviates or contains (`Postgres` → `PostgreSQL`, `Athena` →
 * `Amazon Athena`, `colTag` → `columnTag`).
 */
export function closest(name: string, allowed: readonly string[]): string | undefined {
  const given = name.toLowerCase();
  const threshold = Math.max(1, Math.floor(name.length / 4));
  let best: string | undefined;
  // Only distances within the threshold matter: longer ones are cut short (a long name costs
  // time in proportion to its length, never more).
  let bestDistance = threshold + 1;
  for (const candidate of allowed) {
    const distance = editDistance(given, candidate.toLowerCase(), bestDistance);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  if (best !== undefined) return best;
  if (given.length < 4) return undefined;
  const related = allowed.filter((candidate) => {
    const c = candidate.toLowerCase();
    return isSubsequence(given, c) || (c.length >= 4 && given.includes(c));
  });
  return related.length === 1 ? related[0] : undefined;
}

/** Whether every letter of `short` appears in `long`, in order. */
function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (let j = 0; j < long.length && i < short.length; j++) if (long[j] === short[i]) i++;
  return i === short.length;
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot come under `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return previous[b.length];
}

function didYouMean(given: unknown, allowed: readonly unknown[]): string {
  if (typeof given !== "string") return "";
  const hint = closest(
    given,
    allowed.filter((v): v is string => typeof v === "string"),
  );
  return hint ? `; did you mean ${JSON.stringify(hint)}?` : "";
}

/**
 * One problem from one ajv error; undefined for errors that only say a sub-schema failed.
 * @param open the open object (`connection`, `rule's config`) the error is in, if any: what the
 *   schema does not know there, Immuta may, and the message says how to send it anyway.
 */
export function toProblem(error: ErrorObject, open?: string): Problem | undefined {
  const segments = pointerSegments(error.instancePath);
  const path = fieldPath(segments);
  const field = segments[segments.length - 1];
  const secret = field !== undefined && SECRET_FIELDS.has(field);
  // Described only where a message shows it: describing a whole object costs time in
  // proportion to its fields, once per error (10,000 unknown fields would make that quadratic).
  const got = () => describe(error.data, secret);
  const params = error.params as Record<string, unknown>;
  const parentSchema = (error.parentSchema ?? {}) as Record<string, unknown>;
  const escape = open ? ` — if Immuta accepts it, mark the ${open} unchecked` : "";

  switch (error.keyword) {
    case "if":
      return undefined; // the failing `then` or `else` reports the real problem
    case "required":
      return {
        path: fieldPath([...segments, String(params.missingProperty)]),
        message: "required",
      };
    case "additionalProperties": {
      const name = String(params.additionalProperty);
      // `$schema` and `$unchecked` are markers, not fields to suggest.
      const allowed = Object.keys((parentSchema.properties ?? {}) as object).filter(
        (field) => !MARKERS.has(field),
      );
      const hint = closest(name, allowed);
      return {
        path: fieldPath([...segments, name]),
        message:
          `unknown field` +
          (hint ? `; did you mean "${hint}"?` : "") +
          ` (allowed here: ${allowed.join(", ")})` +
          escape,
      };
    }
    case "type": {
      if (isEnvSecret(error.data)) {
        return {
          path,
          message: "must be a literal string: keys and references to keys cannot be secrets",
        };
      }
      const expected =
        typeof parentSchema.description === "string" && Array.isArray(params.type)
          ? parentSchema.description
          : String(params.type)
              .split(",")
              .map((t) => TYPE_NAMES[t] ?? t)
              .join(" or ");
      return { path, message: `must be ${expected} (got ${got()})` };
    }
    case "enum": {
      const allowed = params.allowedValues as unknown[];
      return {
        path,
        message:
          `must be one of ${quoteList(allowed)} (got ${got()})` +
          didYouMean(error.data, allowed) +
          escape,
      };
    }
    case "const":
      return { path, message: `must be ${JSON.stringify(params.allowedValue)} (got ${got()})` };
    case "minItems":
      return {
        path,
        message: `must list at least ${String(params.limit)} item${params.limit === 1 ? "" : "s"}`,
      };
    case "minLength":
      return { path, message: "must not be empty" };
    case "minimum":
      return { path, message: `must be at least ${String(params.limit)} (got ${got()})` };
    case "maximum":
      return { path, message: `must be at most ${String(params.limit)} (got ${got()})` };
    case "pattern":
      return {
        path,
        message:
          typeof parentSchema.description === "string"
            ? `must be ${parentSchema.description} (got ${got()})`
            : `must match ${String(params.pattern)} (got ${got()})`,
      };
    case "not": {
      const schema = (error.schema ?? {}) as { description?: string };
      return { path, message: schema.description ?? "is not allowed here" };
    }
    default:
      return { path, message: error.message ?? error.keyword };
  }
}
