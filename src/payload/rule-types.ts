/**
 * The rules of a data policy, one type per rule `type`, each with its own `config`, so that an
 * editor completes them and a misspelt field or masking type is a type error. Field names are
 * Immuta's. `./schema/rule-config.ts` describes the same shapes for validation.
 */
import type { RuleExceptions, Text } from "./types";
import type { Unchecked } from "./unchecked";

/** The columns a masking rule masks. */
export type MaskedColumns =
  { readonly type: "columnTags"; readonly columnTag: Text } | { readonly type: "noTags" };

/** How a masking rule masks. */
export type MaskingMethod =
  | { readonly type: "Hash" }
  | { readonly type: "Null" }
  | { readonly type: "Constant"; readonly constant: Text }
  /** Snowflake integrations only. */
  | { readonly type: "Format Preserving Masking" };

export type MaskingConfig = {
  readonly fields: readonly MaskedColumns[];
  readonly maskingConfig: MaskingMethod;
  /** Masks only the rows this holds for: `@columnTagged('Discovered.Country') = 'USA'`. */
  readonly conditionalPredicate?: Text;
};

export type MinimizationConfig = {
  /** The share of the rows users see, 0 to 100. */
  readonly percent: number;
};

export type TimeRestrictionConfig = {
  /** Users see the rows of the last `time` `unit`s only. */
  readonly time: number;
  readonly unit: "minutes" | "hours" | "days" | "years";
};

export type PurposeRestrictionConfig = {
  /** Users see the data only when acting under one of these purposes. */
  readonly purposes: readonly Text[];
};

/** A user entitlement a row's value in a tagged column must match. */
export type EntitlementMatch =
  | { readonly type: "group"; readonly columnTag: Text }
  | { readonly type: "attribute"; readonly attribute: Text; readonly columnTag: Text }
  | { readonly type: "purpose"; readonly columnTag: Text };

export type UserEntitlementsConfig = {
  readonly matches: readonly EntitlementMatch[];
};

export type WhereClauseConfig = {
  /** A SQL condition, with Immuta's functions: `country = @attributeValue('Country')`. */
  readonly predicate: Text;
};

/**
 * A rule `config` the validator skips, made with `unchecked({ ... })`. Deliberately without an
 * index signature: one would make every misspelt field of the checked configs type-check too.
 */
export type UncheckedConfig = Unchecked;

type Targets = {
  /** Users the rule does not apply to. */
  readonly exceptions?: RuleExceptions;
  /** The only users the rule applies to; another rule then covers everyone else. */
  readonly inclusions?: { readonly groups: readonly Text[] };
};

export type DataRule = Targets &
  (
    | { readonly type: "Masking"; readonly config: MaskingConfig | UncheckedConfig }
    | { readonly type: "Minimization"; readonly config: MinimizationConfig | UncheckedConfig }
    | {
        readonly type: "Time Restriction";
        readonly config: TimeRestrictionConfig | UncheckedConfig;
      }
    | {
        readonly type: "Purpose Restriction";
        readonly config: PurposeRestrictionConfig | UncheckedConfig;
      }
    | {
        readonly type: "Row Restriction By User Entitlements";
        readonly config: UserEntitlementsConfig | UncheckedConfig;
      }
    | {
        readonly type: "Row Restriction by Custom Where Clause";
        readonly config: WhereClauseConfig | UncheckedConfig;
      }
  );
