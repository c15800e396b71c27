/**
 * Payload validation, compiled from the same JSON Schemas the package ships for editors (so the
 * two cannot disagree), with ajv's errors rewritten the way a compiler would say them:
 * `sources[3].tags.columns[0].columnName: required`.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { ValidationError, type Problem } from "../errors";
import type { Kind } from "./kinds";
import { normalizeAliases } from "./aliases";
import { payloadSchema } from "./schema";
import { SECRET_FIELDS, isEnvSecret } from "./secrets";
import type { PayloadByKind } from "./types";

export interface ValidateOptions {
  /**
   * Values to leave unchecked, with everything inside them: the constructs pass cdktf's token
   * test, as a value known only at apply time cannot be checked at synth.
   */
  readonly skip?: (value: unknown) => boolean;
}

let ajv: Ajv | undefined;
const compiled = new Map<Kind, ValidateFunction>();

function validatorFor(kind: Kind): ValidateFunction {
  let validate = compiled.get(kind);
  if (!validate) {
    ajv ??= new Ajv({
      allErrors: true,
      verbose: true,
      strict: true,
      // `if: { required: [...] }` tests presence without redeclaring the property.
      strictRequired: false,
      allowUnionTypes: true,
    });
    validate = ajv.compile(payloadSchema(kind));
    compiled.set(kind, validate);
  }
  return validate;
}

/** Every problem of a payload, in one pass; empty when it is valid. */
export function findProblems(
  kind: Kind,
  payload: unknown,
  options: ValidateOptions = {},
): Problem[] {
  const validate = validatorFor(kind);
  if (validate(payload)) return [];
  const errors = (validate.errors ?? []).filter(
    (error) => !options.skip || !insideSkipped(payload, error.instancePath, options.skip),
  );
  const seen = new Set<string>();
  const located: { problem: Problem; order: number[] }[] = [];
  for (const error of errors) {
    const problem = toProblem(error);
    if (!problem) continue;
    const id = `${problem.path}\0${problem.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      located.push({ problem, order: documentOrder(payload, error) });
    }
  }
  // In the order of the payload's own fields, as one reads it (ajv's order follows the schema).
  return located.sort((a, b) => compareOrder(a.order, b.order)).map((l) => l.problem);
}

/** Position of each path segment among its parent's keys; a missing field sorts after the rest. */
function documentOrder(root: unknown, error: ErrorObject): number[] {
  const segments = pointerSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const extra = params.missingProperty ?? params.additionalProperty;
  if (typeof extra === "string") segments.push(extra);
  const order: number[] = [];
  let value = root;
  for (const segment of segments) {
    if (value === null || typeof value !== "object") {
      order.push(Number.MAX_SAFE_INTEGER);
      continue;
    }
    const position = Array.isArray(value) ? Number(segment) : Object.keys(value).indexOf(segment);
    order.push(position < 0 ? Number.MAX_SAFE_INTEGER : position);
    value = (value as Record<string, unknown>)[segment];
  }
  return order;
}

function compareOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * Validates a payload and returns it with documented aliases normalised
 * (`allowedMaskedJoins` → `allowMaskedJoins`, `requiredPermissions` → `requiredPermission`).
 * @param subject what is validated, for the error message (`governance/pii.yaml`, a construct path)
 */
export function validatePayload<K extends Kind>(
  kind: K,
  payload: unknown,
  subject: string,
  options: ValidateOptions = {},
): PayloadByKind[K] {
  const problems = findProblems(kind, payload, options);
  if (problems.length > 0) throw new ValidationError(subject, problems);
  return normalizeAliases(kind, payload as PayloadByKind[K]);
}

// ------------------------------------------------------------------------- error wording

function pointerSegments(pointer: string): string[] {
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

function insideSkipped(root: unknown, pointer: string, skip: (value: unknown) => boolean): boolean {
  let value = root;
  if (skip(value)) return true;
  for (const segment of pointerSegments(pointer)) {
    if (value === null || typeof value !== "object") return false;
    value = (value as Record<string, unknown>)[segment];
    if (skip(value)) return true;
  }
  return false;
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

/** The closest allowed name, for "did you mean"; only when it is a likely typo. */
function closest(name: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

function toProblem(error: ErrorObject): Problem | undefined {
  const segments = pointerSegments(error.instancePath);
  const path = fieldPath(segments);
  const field = segments[segments.length - 1];
  const secret = field !== undefined && SECRET_FIELDS.has(field);
  const got = describe(error.data, secret);
  const params = error.params as Record<string, unknown>;
  const parentSchema = (error.parentSchema ?? {}) as Record<string, unknown>;

  switch (error.keyword) {
    case "if":
      return undefined; // the failing `then` branch reports the real problem
    case "required":
      return {
        path: fieldPath([...segments, String(params.missingProperty)]),
        message: "required",
      };
    case "additionalProperties": {
      const name = String(params.additionalProperty);
      // `$schema` is an editor's hint, not a field to suggest.
      const allowed = Object.keys((parentSchema.properties ?? {}) as object).filter(
        (field) => field !== "$schema",
      );
      const hint = closest(name, allowed);
      return {
        path: fieldPath([...segments, name]),
        message:
          `unknown field` +
          (hint ? `; did you mean "${hint}"?` : "") +
          ` (allowed here: ${allowed.join(", ")})`,
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
      return { path, message: `must be ${expected} (got ${got})` };
    }
    case "enum":
      return {
        path,
        message: `must be one of ${quoteList(params.allowedValues as unknown[])} (got ${got})`,
      };
    case "const":
      return { path, message: `must be ${JSON.stringify(params.allowedValue)} (got ${got})` };
    case "minItems":
      return { path, message: `must list at least ${String(params.limit)} item(s)` };
    case "minLength":
      return { path, message: "must not be empty" };
    case "minimum":
      return { path, message: `must be at least ${String(params.limit)} (got ${got})` };
    case "maximum":
      return { path, message: `must be at most ${String(params.limit)} (got ${got})` };
    case "pattern":
      return {
        path,
        message:
          typeof parentSchema.description === "string"
            ? `must be ${parentSchema.description} (got ${got})`
            : `must match ${String(params.pattern)} (got ${got})`,
      };
    case "not": {
      const schema = (error.schema ?? {}) as { description?: string };
      return { path, message: schema.description ?? "is not allowed here" };
    }
    default:
      return { path, message: error.message ?? error.keyword };
  }
}
