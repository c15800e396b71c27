/**
 * Fields in the order the payload schema lists them (`policyKey`, `name`, `type`, `actions`, ...),
 * at every level, rather than in the order a tenant keeps them (sorted, for policies, projects and
 * purposes): the key first reads better, and the same object gives the same file whichever source
 * it came from. Fields the schema does not list follow, in their own order.
 *
 * Only for kinds the tenant compares field order aside: a connection's payload is compared as
 * sent, so reordering it would make the tenant rewrite it (see src/server/data-sources.ts).
 */
import type { Kind } from "../payload/kinds";
import { payloadSchema, type JsonSchema } from "../payload/schema";

const schemas = new Map<Kind, JsonSchema>();

/** The kinds whose field order does not matter to the tenant. */
const REORDERED: ReadonlySet<Kind> = new Set(["policy", "project", "purpose"]);

export function inSchemaOrder(
  kind: Kind,
  payload: Record<string, unknown>,
): Record<string, unknown> {
  if (!REORDERED.has(kind)) return payload;
  let root = schemas.get(kind);
  if (!root) schemas.set(kind, (root = payloadSchema(kind)));
  const definitions = (root.definitions ?? {}) as Record<string, JsonSchema>;
  return reorder(payload, [root], definitions) as Record<string, unknown>;
}

function reorder(
  value: unknown,
  schemas: readonly JsonSchema[],
  definitions: Record<string, JsonSchema>,
): unknown {
  const effective = schemas.flatMap((schema) => expand(schema, value, definitions));
  if (Array.isArray(value)) {
    const items = effective.flatMap((s) =>
      s.items && typeof s.items === "object" ? [s.items as JsonSchema] : [],
    );
    return value.map((item) => reorder(item, items, definitions));
  }
  if (value === null || typeof value !== "object") return value;
  const source = value as Record<string, unknown>;
  const order: string[] = [];
  const children = new Map<string, JsonSchema[]>();
  for (const schema of effective) {
    for (const [field, child] of Object.entries(
      (schema.properties ?? {}) as Record<string, JsonSchema>,
    )) {
      if (!children.has(field)) {
        order.push(field);
        children.set(field, []);
      }
      children.get(field)!.push(child);
    }
  }
  const out: Record<string, unknown> = {};
  for (const field of order) {
    if (Object.hasOwn(source, field))
      out[field] = reorder(source[field], children.get(field)!, definitions);
  }
  for (const [field, child] of Object.entries(source)) {
    if (!Object.hasOwn(out, field)) out[field] = child;
  }
  return out;
}

/** A schema and every sub-schema that applies to this value: references, `allOf`, matching `if`s. */
function expand(
  schema: JsonSchema,
  value: unknown,
  definitions: Record<string, JsonSchema>,
): JsonSchema[] {
  if (typeof schema.$ref === "string") {
    const target = definitions[schema.$ref.replace("#/definitions/", "")];
    return target ? expand(target, value, definitions) : [];
  }
  const out: JsonSchema[] = [schema];
  if (schema.if && typeof schema.if === "object") {
    const branch = matches(schema.if as JsonSchema, value) ? schema.then : schema.else;
    if (branch && typeof branch === "object")
      out.push(...expand(branch as JsonSchema, value, definitions));
  }
  for (const part of Array.isArray(schema.allOf) ? (schema.allOf as JsonSchema[]) : []) {
    out.push(...expand(part, value, definitions));
  }
  return out;
}

/** The `if`s the payload schemas use: fields present (`required`) and fields equal to a `const`. */
function matches(condition: JsonSchema, value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const fields = value as Record<string, unknown>;
  const required = Array.isArray(condition.required) ? (condition.required as string[]) : [];
  if (!required.every((field) => Object.hasOwn(fields, field))) return false;
  const properties = (condition.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(properties).every(
    ([field, schema]) =>
      !("const" in schema) || !Object.hasOwn(fields, field) || fields[field] === schema.const,
  );
}
