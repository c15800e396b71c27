/**
 * Small builders for the JSON Schemas, so each kind's schema reads like the API's field list.
 * The schemas are draft-07 (what editors' YAML and JSON language servers support best).
 */

import { ENV_NAME } from "../secrets";
import { UNCHECKED } from "../unchecked";

export type JsonSchema = { readonly [keyword: string]: unknown };

/** A free-text string, or a secret placeholder `{ $env: NAME }` resolved at apply time. */
export const text: JsonSchema = { $ref: "#/definitions/text" };

/** A key (`connectionKey`, `policyKey`, ...) or a reference to one: always a literal string. */
export const key: JsonSchema = { type: "string", minLength: 1 };

export const bool: JsonSchema = { type: "boolean" };
export const plainString: JsonSchema = { type: "string" };

export function list(items: JsonSchema, extra: JsonSchema = {}): JsonSchema {
  return { type: "array", items, ...extra };
}

export function oneOf(...values: string[]): JsonSchema {
  return { type: "string", enum: values };
}

/** A closed object: a field not listed here is an error (a typo must not be silently dropped). */
export function object(
  properties: Record<string, JsonSchema>,
  required: string[] = [],
  extra: JsonSchema = {},
): JsonSchema {
  return {
    type: "object",
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
    ...extra,
  };
}

/**
 * An object whose shape depends on one field's value (`type: tags` vs `type: columnRegex`):
 * the field must hold one of the variants' names, and then the object must match that variant.
 */
export function tagged(field: string, variants: Record<string, JsonSchema>): JsonSchema {
  return {
    type: "object",
    required: [field],
    properties: { [field]: oneOf(...Object.keys(variants)) },
    allOf: Object.entries(variants).map(([value, schema]) => ({
      if: { properties: { [field]: { const: value } }, required: [field] },
      then: schema,
    })),
  };
}

/**
 * `then` applies when `field` holds `value`; with `whenAbsent`, also when the field is missing
 * (a default: Databricks without `authenticationMethod` authenticates with a token).
 */
export function whenEquals(
  field: string,
  value: unknown,
  then: JsonSchema,
  whenAbsent: boolean,
): JsonSchema {
  return {
    if: { properties: { [field]: { const: value } }, ...(whenAbsent ? {} : { required: [field] }) },
    then,
  };
}

/** The `$unchecked` field of an object that may be marked unchecked (see `../unchecked.ts`). */
export const uncheckedMarker: JsonSchema = {
  type: "boolean",
  description:
    "true: this object is not validated (for what Immuta accepts but this schema does not know); not sent to Immuta",
};

/**
 * An object that `"$unchecked": true` exempts from `schema`: then only `unchecked` applies.
 * `schema` must list `$unchecked` among its properties (`uncheckedMarker`).
 */
export function uncheckable(schema: JsonSchema, unchecked: JsonSchema): JsonSchema {
  return {
    if: { type: "object", properties: { [UNCHECKED]: { const: true } }, required: [UNCHECKED] },
    then: unchecked,
    else: schema,
  };
}

/** A field and its alias (Immuta's docs spell some fields two ways): either, not both. */
export function notBoth(field: string, alias: string): JsonSchema {
  return {
    not: {
      required: [field, alias],
      description: `give either ${field} or its alias ${alias}, not both`,
    },
  };
}

/**
 * A JSON file's `$schema` field, which editors read to validate and complete it. Accepted at the
 * top of every payload, and dropped when the payload is normalised (it is not Immuta's).
 */
export const editorSchema: JsonSchema = {
  type: "string",
  description: "the JSON Schema of this file, for editors; not sent to Immuta",
};

/** Definitions shared by every schema. */
export const definitions: Record<string, JsonSchema> = {
  text: {
    description: "a string, or a secret placeholder { $env: NAME }",
    type: ["string", "object"],
    if: { type: "object" },
    then: { $ref: "#/definitions/envSecret" },
  },
  envSecret: object(
    {
      $env: {
        type: "string",
        pattern: ENV_NAME.source,
        description:
          "an environment variable name (letters, digits and _, not starting with a digit)",
      },
    },
    ["$env"],
  ),
};
