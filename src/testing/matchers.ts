/**
 * The access matchers, as plain functions in jest's matcher shape (`this` is jest's matcher
 * context; nothing here imports jest). Each answers from the evaluator's report and, when it
 * fails, says why in the evaluator's words: the rule that decided, and for an `AccessSimulation`
 * also the policies that do not apply and the rules that do not target the column.
 *
 * A data source or column that does not exist is an error, not a failed expectation: with
 * `.not`, a misspelt name would otherwise pass.
 */
import type { DataRuleType } from "../payload/types";
import { ACCESS_WORDS, columnState } from "./describe";
import { columnDetails, misses, notes, personaOf, subscriptionDetails } from "./explain";
import { checkFields, columnOf, reportOf, show, sourceOf } from "./received";

export interface SeeExpectation {
  /** A column of the data source. @default the data source as a whole (can the user query it) */
  readonly column?: string;
  /**
   * `clear`: the values as they are; `masked`: masked (`masking` says how); `hidden`: the user
   * cannot query the data source, so its values are hidden. @default clear or masked
   */
  readonly as?: "clear" | "masked" | "hidden";
  /** The masking type (`maskingConfig.type`: `Hash`, `Constant`, `Null`, ...); implies `as: "masked"`. */
  readonly masking?: string;
}

export interface SubscribeExpectation {
  /** The subscription policy that grants it (the deciding one, or a met entitlement policy). */
  readonly via?: string;
  /**
   * How: `automatic` (subscribed without asking), `self` (may subscribe alone), `approval`
   * (may ask; someone must approve). @default any of them
   */
  readonly level?: "automatic" | "self" | "approval";
}

/** Row-level rule types, as reviewers say them. */
export const ROW_FILTER_TYPES: Record<RowFilterKind, DataRuleType> = {
  where: "Row Restriction by Custom Where Clause",
  entitlements: "Row Restriction By User Entitlements",
  time: "Time Restriction",
  minimization: "Minimization",
};

export type RowFilterKind = "where" | "entitlements" | "time" | "minimization";

export interface FilterExpectation {
  /** The kind of row-level rule. @default any */
  readonly by?: RowFilterKind;
  /** The policy the rule belongs to (its `policyKey`). @default any */
  readonly policy?: string;
  /** A where clause's predicate: equal (ignoring spacing), or matching a RegExp. @default any */
  readonly predicate?: string | RegExp;
}

/** What the matchers use of jest's matcher context. */
export interface MatcherContext {
  readonly isNot?: boolean;
  readonly utils?: {
    matcherHint(
      name: string,
      received?: string,
      expected?: string,
      options?: { isNot?: boolean },
    ): string;
  };
}

export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

function see(
  this: MatcherContext,
  received: unknown,
  dataSource: string,
  expected: SeeExpectation = {},
): MatcherResult {
  const hint = hintOf(this, "toSee", expected);
  checkFields(expected, ["column", "as", "masking"], hint);
  const report = reportOf(received, hint);
  const source = sourceOf(report, dataSource, hint);
  const not = this.isNot ? "not " : "";
  const who = personaOf(report);
  if (expected.column === undefined) {
    if (expected.as !== undefined || expected.masking !== undefined) {
      throw new Error(`${hint}\n\n"as" and "masking" describe a column: give "column" too`);
    }
    return {
      pass: source.visible,
      message: () =>
        lines(
          hint,
          "",
          `Expected ${who} ${not}to see ${source.name}.`,
          `${source.name} is ${source.why}`,
          ...subscriptionDetails(report, source),
          ...notes(report),
        ),
    };
  }
  if (expected.as !== undefined && !["clear", "masked", "hidden"].includes(expected.as)) {
    throw new Error(
      `${hint}\n\n"as" must be "clear", "masked" or "hidden" (got ${show(expected.as)})`,
    );
  }
  if (expected.masking !== undefined && typeof expected.masking !== "string") {
    throw new Error(
      `${hint}\n\n"masking" must be a masking type such as "Hash" (got ${show(expected.masking)})`,
    );
  }
  if (expected.masking !== undefined && expected.as !== undefined && expected.as !== "masked") {
    throw new Error(`${hint}\n\n"masking" says how a column is masked: it goes with as: "masked"`);
  }
  const column = columnOf(report, source, expected.column, hint);
  const as = expected.as ?? (expected.masking !== undefined ? "masked" : undefined);
  const state = column.state === "not visible" ? "hidden" : column.state;
  const pass =
    as === undefined
      ? state !== "hidden"
      : state === as &&
        (expected.masking === undefined ||
          column.masking?.type.toLowerCase() === expected.masking.toLowerCase());
  const wanted =
    as === undefined
      ? ""
      : as === "masked" && expected.masking !== undefined
        ? ` masked (${expected.masking})`
        : ` ${as}`;
  return {
    pass,
    message: () =>
      lines(
        hint,
        "",
        `Expected ${who} ${not}to see ${source.name}.${column.column}${wanted}.`,
        `${column.column} is ${columnState(column)}: ${column.why}`,
        ...columnDetails(report, source, column),
        ...notes(report),
      ),
  };
}

function subscribe(
  this: MatcherContext,
  received: unknown,
  dataSource: string,
  expected: SubscribeExpectation = {},
): MatcherResult {
  const hint = hintOf(this, "toSubscribe", expected);
  checkFields(expected, ["via", "level"], hint);
  if (expected.level !== undefined && !["automatic", "self", "approval"].includes(expected.level)) {
    throw new Error(
      `${hint}\n\n"level" must be "automatic", "self" or "approval" (got ${show(expected.level)}); ` +
        `a user who cannot subscribe is .not.toSubscribe`,
    );
  }
  const report = reportOf(received, hint);
  const source = sourceOf(report, dataSource, hint);
  const decision = source.subscription;
  const levelHolds = expected.level === undefined || decision.access === expected.level;
  const viaHolds =
    expected.via === undefined ||
    decision.policy?.policyKey === expected.via ||
    decision.matched.some((m) => m.policyKey === expected.via);
  const how =
    (expected.level ? ` (${LEVEL_WORDS[expected.level]})` : "") +
    (expected.via !== undefined ? ` through policy ${expected.via}` : "");
  const decided = decision.policy ? ` (${decision.policy.policyKey} decides)` : "";
  return {
    pass: decision.maySubscribe && levelHolds && viaHolds,
    message: () =>
      lines(
        hint,
        "",
        `Expected ${personaOf(report)} ${this.isNot ? "not " : ""}to be able to subscribe to ${source.name}${how}.`,
        `${source.name}: ${ACCESS_WORDS[decision.access]}${decided}: ${decision.why}`,
        ...subscriptionDetails(report, source),
        ...notes(report),
      ),
  };
}

function filterRows(
  this: MatcherContext,
  received: unknown,
  dataSource: string,
  expected: FilterExpectation = {},
): MatcherResult {
  const hint = hintOf(this, "toFilterRows", expected);
  checkFields(expected, ["by", "policy", "predicate"], hint);
  if (expected.by !== undefined && !Object.hasOwn(ROW_FILTER_TYPES, expected.by)) {
    throw new Error(
      `${hint}\n\n"by" must be one of ${Object.keys(ROW_FILTER_TYPES).join(", ")} (got ${show(expected.by)})`,
    );
  }
  const report = reportOf(received, hint);
  const source = sourceOf(report, dataSource, hint);
  const predicate = expected.predicate;
  const sameText = (a: string, b: string) =>
    a.replace(/\s+/g, " ").trim() === b.replace(/\s+/g, " ").trim();
  const hits = source.rowFilters.filter(
    (f) =>
      (expected.by === undefined || f.rule.type === ROW_FILTER_TYPES[expected.by]) &&
      (expected.policy === undefined || f.rule.policyKey === expected.policy) &&
      (predicate === undefined ||
        (f.predicate !== undefined &&
          (typeof predicate === "string"
            ? sameText(f.predicate, predicate)
            : new RegExp(predicate.source, predicate.flags.replace("g", "")).test(f.predicate)))),
  );
  const what =
    (expected.by ? ` by a ${ROW_FILTER_TYPES[expected.by]}` : "") +
    (expected.policy !== undefined ? ` of policy ${expected.policy}` : "") +
    (predicate !== undefined ? ` with predicate ${String(predicate)}` : "");
  return {
    pass: hits.length > 0,
    message: () =>
      lines(
        hint,
        "",
        `Expected ${personaOf(report)}'s rows of ${source.name} ${this.isNot ? "not " : ""}to be filtered${what}.`,
        source.rowFilters.length === 0
          ? `No row filter is in force for them on ${source.name}.`
          : "Row filters in force:",
        ...source.rowFilters.map((f) => `  ${f.why}`),
        ...(source.excused.length > 0 ? ["Excused:"] : []),
        ...source.excused.map((e) => `  ${e.why}`),
        ...misses(report, source, "data"),
        ...notes(report),
      ),
  };
}

export function toSee(
  this: MatcherContext,
  received: unknown,
  dataSource: string,
  expected?: SeeExpectation,
): MatcherResult {
  return guarded(toSee, () => see.call(this, received, dataSource, expected));
}

export function toSubscribe(
  this: MatcherContext,
  received: unknown,
  dataSource: string,
  expected?: SubscribeExpectation,
): MatcherResult {
  return guarded(toSubscribe, () => subscribe.call(this, received, dataSource, expected));
}

export function toFilterRows(
  this: MatcherContext,
  received: unknown,
  dataSource: string,
  expected?: FilterExpectation,
): MatcherResult {
  return guarded(toFilterRows, () => filterRows.call(this, received, dataSource, expected));
}

/**
 * Runs a matcher; an error it throws (a misspelt name, a bad expectation) is re-stacked at the
 * matcher's caller, so that jest shows the test's line rather than this file's.
 */
function guarded(matcher: (...args: never[]) => unknown, body: () => MatcherResult): MatcherResult {
  try {
    return body();
  } catch (error) {
    if (error instanceof Error) Error.captureStackTrace(error, matcher);
    throw error;
  }
}

const LEVEL_WORDS: Record<NonNullable<SubscribeExpectation["level"]>, string> = {
  automatic: "automatically",
  self: "by subscribing alone",
  approval: "with an approval",
};

function hintOf(context: MatcherContext, name: string, expected: object): string {
  const args = Object.keys(expected ?? {}).length > 0 ? "dataSource, expected" : "dataSource";
  return context.utils
    ? context.utils.matcherHint(name, "access", args, { isNot: context.isNot })
    : `expect(access)${context.isNot ? ".not" : ""}.${name}(${args})`;
}

function lines(...parts: string[]): string {
  return parts.join("\n");
}
