/**
 * The `config` of each data-policy rule type. Masking and the custom where clause follow Immuta's
 * "Create a data policy" examples; Immuta documents no V2 config for the other rule types, so
 * theirs are ours: marked [ours] here, listed with the project's other choices in
 * `src/server/choices.ts`, and named as Immuta's V1 API and policy builder name them.
 * `unchecked` is the way out when a tenant knows better.
 */
import type { DataRuleType } from "../types";
import { UNCHECKED } from "../unchecked";
import {
  list,
  object,
  oneOf,
  tagged,
  text,
  uncheckable,
  uncheckedMarker,
  type JsonSchema,
} from "./build";

/** The columns a masking rule masks. */
const maskedColumns = tagged("type", {
  columnTags: object({ type: { const: "columnTags" }, columnTag: text }, ["type", "columnTag"]),
  noTags: object({ type: { const: "noTags" } }, ["type"]),
});

/** The masking types of Immuta's V2 examples, with their parameters. */
export const MASKING_TYPES: Record<string, Record<string, JsonSchema>> = {
  Hash: {},
  Null: {},
  Constant: { constant: text },
  // Snowflake integrations only.
  "Format Preserving Masking": {},
};

const maskingMethod = tagged(
  "type",
  Object.fromEntries(
    Object.entries(MASKING_TYPES).map(([type, parameters]) => [
      type,
      object({ type: { const: type }, ...parameters }, ["type", ...Object.keys(parameters)]),
    ]),
  ),
);

/** [ours] A row matches when a user entitlement equals its value in a tagged column. */
const entitlementMatch = tagged("type", {
  group: object({ type: { const: "group" }, columnTag: text }, ["type", "columnTag"]),
  attribute: object({ type: { const: "attribute" }, attribute: text, columnTag: text }, [
    "type",
    "attribute",
    "columnTag",
  ]),
  purpose: object({ type: { const: "purpose" }, columnTag: text }, ["type", "columnTag"]),
});

/** Each rule type's config fields and the ones it requires. */
export const RULE_CONFIGS: Record<
  DataRuleType,
  { fields: Record<string, JsonSchema>; required: string[] }
> = {
  Masking: {
    fields: {
      fields: list(maskedColumns, { minItems: 1 }),
      maskingConfig: maskingMethod,
      conditionalPredicate: text,
    },
    required: ["fields", "maskingConfig"],
  },
  // [ours] the V1 minimization rule's field: the share of rows shown.
  Minimization: {
    fields: { percent: { type: "number", minimum: 0, maximum: 100 } },
    required: ["percent"],
  },
  // [ours] the policy builder's "only show data by time": the last `time` `unit`s.
  "Time Restriction": {
    fields: {
      time: { type: "integer", minimum: 1 },
      unit: oneOf("minutes", "hours", "days", "years"),
    },
    required: ["time", "unit"],
  },
  // [ours] the purposes users must act under.
  "Purpose Restriction": {
    fields: { purposes: list(text, { minItems: 1 }) },
    required: ["purposes"],
  },
  "Row Restriction By User Entitlements": {
    fields: { matches: list(entitlementMatch, { minItems: 1 }) },
    required: ["matches"],
  },
  "Row Restriction by Custom Where Clause": {
    fields: { predicate: text },
    required: ["predicate"],
  },
};

/** The `config` schema of one rule type; `"$unchecked": true` exempts it. */
export function ruleConfigSchema(type: DataRuleType): JsonSchema {
  const { fields, required } = RULE_CONFIGS[type];
  return uncheckable(object({ ...fields, [UNCHECKED]: uncheckedMarker }, required), {
    type: "object",
  });
}
