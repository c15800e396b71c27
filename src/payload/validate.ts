/**
 * Payload validation, compiled from the same JSON Schemas the package ships for editors (so the
 * two cannot disagree), with ajv's errors rewritten the way a compiler would say them:
 * `sources[3].tags.columns[0].columnName: required`. Time grows with the payload and the number
 * of problems, not their product; at most `limit` problems are listed, then how many more.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { ValidationError, type Problem } from "../errors";
import type { Kind } from "./kinds";
import { normalizeAliases } from "./aliases";
import { DocumentOrder, comparePositions, type Position } from "./document-order";
import { fieldPath, pointerSegments, toProblem } from "./problem-wording";
import { payloadSchema } from "./schema";
import { OPEN_OBJECTS, openObjectAt, openObjectsOf } from "./schema/open-objects";
import type { PayloadByKind } from "./types";
import { UNCHECKED } from "./unchecked";

export { fieldPath } from "./problem-wording";

/**
 * - `strict` (synth, `immuta-v2 validate`): everything our schemas know is enforced; an object
 *   marked `"$unchecked": true` is skipped.
 * - `server` (the embedded server): the client has removed every `$unchecked` mark, so inside the
 *   two open objects (`connection`, a rule's `config`) what our schemas do not know is let
 *   through (unknown fields and values, their requirements); the fields they know are still
 *   type-checked, and the rest of the payload is checked as strictly as ever.
 */
export type ValidationMode = "strict" | "server";

export interface ValidateOptions {
  /**
   * Values to leave unchecked, with everything inside them: the constructs pass cdktf's token
   * test, as a value known only at apply time cannot be checked at synth.
   */
  readonly skip?: (value: unknown) => boolean;
  /** @default "strict" */
  readonly mode?: ValidationMode;
  /** How many problems to list; one more line says how many were left out. @default 100 */
  readonly limit?: number;
}

export const DEFAULT_PROBLEM_LIMIT = 100;

/** What the server lets through inside an open object: checks of what the schema knows of it. */
const OPEN_AT_SERVER = new Set(["additionalProperties", "required", "enum", "const", "minItems"]);

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

/** Every problem of a payload, in the order of its fields (at most `limit`); empty when valid. */
export function findProblems(
  kind: Kind,
  payload: unknown,
  options: ValidateOptions = {},
): Problem[] {
  const mode = options.mode ?? "strict";
  const limit = options.limit ?? DEFAULT_PROBLEM_LIMIT;
  const validate = validatorFor(kind);
  const errors = validate(payload) ? [] : (validate.errors ?? []);
  const order = new DocumentOrder(payload);

  const kept = errors.filter(
    (error) =>
      !(options.skip && insideSkipped(payload, error.instancePath, options.skip)) &&
      !(mode === "server" && letThroughAtServer(kind, error)),
  );
  // A value that is not one of the allowed ones needs no second report that it is empty.
  const notAllowed = new Set(kept.filter((e) => e.keyword === "enum").map((e) => e.instancePath));
  // Each error is placed (cheap: its position in the payload) and only the ones listed are put
  // into words (did-you-mean looks through the allowed names): a payload with 800,000 unknown
  // fields costs 800,000 placements, and 100 messages.
  const placed: { error?: ErrorObject; problem?: Problem; position: Position; id: string }[] = [];
  for (const error of kept) {
    if (error.keyword === "if") continue; // its failing `then` or `else` says what is wrong
    if (error.keyword === "minLength" && notAllowed.has(error.instancePath)) continue;
    const segments = errorSegments(error);
    const params = error.params as Record<string, unknown>;
    const id = `${error.instancePath}\0${error.keyword}\0${String(params.missingProperty ?? params.additionalProperty ?? "")}`;
    placed.push({ error, position: order.position(segments), id });
  }
  if (mode === "server") {
    for (const { segments, value } of openObjectsOf(kind, payload)) {
      if (value !== null && typeof value === "object" && UNCHECKED in value) {
        const path = fieldPath([...segments, UNCHECKED]);
        const problem = {
          path,
          message:
            "is the client's mark for its own validation; the client removes it before " +
            "sending, and Immuta must never receive it",
        };
        placed.push({ problem, position: order.position([...segments, UNCHECKED]), id: path });
      }
    }
  }
  // Distinct problems (ajv may report one twice), and the first ones in document order: sorting
  // all of them would cost more than everything else when there are hundreds of thousands.
  const distinct = new Map<string, (typeof placed)[number]>();
  for (const entry of placed) {
    const first = distinct.get(entry.id);
    if (!first || comparePositions(entry.position, first.position) < 0)
      distinct.set(entry.id, entry);
  }
  const candidates = firstInOrder([...distinct.values()], limit * 2);

  const problems: Problem[] = [];
  const worded = new Set<string>();
  let total = distinct.size;
  for (const entry of candidates) {
    if (problems.length >= limit) break;
    const { error } = entry;
    const open = error && openObjectAt(kind, error.instancePath);
    const problem =
      entry.problem ??
      toProblem(error!, mode === "strict" ? escapeFor(kind, error!, open) : undefined);
    const text = problem && `${problem.path}\0${problem.message}`;
    if (!problem || worded.has(text!)) {
      total--; // nothing to say after all, or said already
      continue;
    }
    worded.add(text!);
    problems.push(problem);
  }
  return capped(problems, total, limit);
}

/**
 * The `count` entries that come first in document order, sorted: all of them when they are few,
 * else by a selection that keeps the cost near one pass over them.
 */
function firstInOrder<T extends { position: Position }>(entries: T[], count: number): T[] {
  const byPosition = (a: T, b: T) => comparePositions(a.position, b.position);
  if (entries.length <= count * 4) return entries.sort(byPosition);
  const kept: T[] = [];
  let worst: T | undefined;
  for (const entry of entries) {
    if (kept.length < count) {
      kept.push(entry);
      if (kept.length === count) {
        kept.sort(byPosition);
        worst = kept[count - 1];
      }
      continue;
    }
    if (byPosition(entry, worst!) >= 0) continue;
    // Insert in order, drop the last: entries that make it this far are few.
    let i = kept.length - 1;
    while (i > 0 && byPosition(entry, kept[i - 1]) < 0) i--;
    kept.splice(i, 0, entry);
    kept.pop();
    worst = kept[count - 1];
  }
  return kept;
}

/** The problems listed, and a last line saying how many more there are of `total`. */
function capped(problems: Problem[], total: number, limit: number): Problem[] {
  if (total <= problems.length) return problems;
  const more = total - problems.length;
  return [
    ...problems,
    {
      path: "",
      message: `and ${more} more problem${more === 1 ? "" : "s"} (${total} in all; the first ${limit} are listed)`,
    },
  ];
}

/**
 * The open object to suggest marking unchecked, for an error where Immuta may know better than
 * our schema; not for our own shapes inside it (a secret placeholder `{ $env }`).
 */
function escapeFor(kind: Kind, error: ErrorObject, open: string | undefined): string | undefined {
  if (open === undefined || error.schemaPath.startsWith("#/definitions/")) return undefined;
  return OPEN_OBJECTS[kind]?.label;
}

/** Whether the server lets an error through: one in an open object (see `ValidationMode`). */
function letThroughAtServer(kind: Kind, error: ErrorObject): boolean {
  if (!OPEN_AT_SERVER.has(error.keyword)) return false;
  const open = openObjectAt(kind, error.instancePath);
  if (open === undefined) return false;
  // A connection still needs its handler: the server tells connections apart by it.
  const params = error.params as { missingProperty?: unknown };
  return !(
    error.keyword === "required" &&
    error.instancePath === open &&
    params.missingProperty === "handler"
  );
}

/** The path of the field an error is about (a missing or unknown field is one level down). */
function errorSegments(error: ErrorObject): string[] {
  const segments = pointerSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const extra = params.missingProperty ?? params.additionalProperty;
  if (typeof extra === "string") segments.push(extra);
  return segments;
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

/**
 * Validates a payload and returns it as it is sent: documented aliases normalised
 * (`allowedMaskedJoins` → `allowMaskedJoins`, `requiredPermissions` → `requiredPermission`), and
 * our own markers (`$schema`, `$unchecked`) removed.
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
