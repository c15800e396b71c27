/**
 * Row-level rules (custom where clause, row restriction by entitlements, time restriction,
 * minimization) and purpose restrictions in force for the user on one data source. Within a
 * policy, rules of one type are "for everyone who ..., otherwise ...": the first that targets the
 * user decides. Across policies every rule in force applies (ours, see choices.ts).
 */
import type { DataRuleType } from "../payload/types";
import { ruleConfig, ruleHit, ruleName, userRule, type CompiledRule } from "./data-rules";
import { textValue, type ResolvedSource } from "./resolve";
import { closureOf } from "./tags";
import type { PurposeRestriction, RowFilter, RuleRef } from "./types";
import { purposeMeeting, type UserContext } from "./user";

/** A data policy's row-level and purpose rules, grouped by type, each group in rule order. */
export interface RowPolicy {
  readonly groups: readonly (readonly CompiledRule[])[];
  /** Some rule targets columns (`fields`, entitlement `matches`): its answer depends on them. */
  readonly readsColumns: boolean;
}

export function rowPolicy(rules: readonly CompiledRule[]): RowPolicy {
  const byType = new Map<DataRuleType, CompiledRule[]>();
  for (const rule of rules) {
    if (rule.rule.type === "Masking") continue;
    let group = byType.get(rule.rule.type);
    if (!group) byType.set(rule.rule.type, (group = []));
    group.push(rule);
  }
  const readsColumns = rules.some(
    (r) => r.rule.type !== "Masking" && (r.fields !== undefined || "matches" in ruleConfig(r.rule)),
  );
  return { groups: [...byType.values()], readsColumns };
}

export interface RowOutcome {
  readonly rowFilters: RowFilter[];
  readonly purposeRestrictions: PurposeRestriction[];
  readonly excused: { rule: RuleRef; why: string }[];
}

/** @param policies row policies in force on the data source, in policyKey order */
export function rowRules(
  source: ResolvedSource,
  policies: readonly RowPolicy[],
  user: UserContext,
): RowOutcome {
  const out: RowOutcome = { rowFilters: [], purposeRestrictions: [], excused: [] };
  for (const policy of policies) {
    for (const group of policy.groups) {
      const chosen = userRule(group, user);
      const ref = chosen.rule.ref;
      if (chosen.excused) {
        out.excused.push({
          rule: ref,
          why: `${ruleName(ref)} (${ref.type}): ${chosen.excused.why}`,
        });
        continue;
      }
      if (ref.type === "Purpose Restriction")
        out.purposeRestrictions.push(purpose(chosen.rule, user));
      else out.rowFilters.push(filter(chosen.rule, source, user));
    }
  }
  return out;
}

function filter(rule: CompiledRule, source: ResolvedSource, user: UserContext): RowFilter {
  const config = ruleConfig(rule.rule);
  const predicate = typeof config.predicate === "string" ? config.predicate : undefined;
  const matches = entitlementMatches(config, source, user);
  const columns = rule.fields
    ? source.columns.filter((c) => ruleHit(rule, c)).map((c) => c.name)
    : matches
      ? [...new Set(matches.flatMap((m) => m.columns))]
      : undefined;
  return {
    rule: rule.ref,
    config,
    ...(predicate !== undefined ? { predicate } : {}),
    ...(columns ? { columns } : {}),
    why: `${ruleName(rule.ref)} limits you to ${limit(rule.ref.type, config, predicate, matches)}`,
  };
}

function limit(
  type: DataRuleType,
  config: { readonly [field: string]: unknown },
  predicate: string | undefined,
  matches: readonly EntitlementRows[] | undefined,
): string {
  if (predicate !== undefined) return `rows where ${predicate}`;
  if (matches) return matches.map((m) => m.text).join(", and ") || "rows matching no entitlement";
  if (type === "Minimization" && typeof config.percent === "number") {
    return `${config.percent}% of the rows`;
  }
  if (type === "Time Restriction" && typeof config.time === "number") {
    return `rows of the last ${config.time} ${String(config.unit ?? "")}`.trimEnd();
  }
  return `${type} (${describe(config)})`;
}

interface EntitlementRows {
  readonly columns: readonly string[];
  readonly text: string;
}

/**
 * `config.matches` of a Row Restriction By User Entitlements: rows whose value in a tagged column
 * is one of the user's groups, values of an attribute, or purposes.
 */
function entitlementMatches(
  config: { readonly [field: string]: unknown },
  source: ResolvedSource,
  user: UserContext,
): EntitlementRows[] | undefined {
  if (!Array.isArray(config.matches)) return undefined;
  return config.matches.map((m: { type?: unknown; columnTag?: unknown; attribute?: unknown }) => {
    const tag = textValue(m.columnTag as string);
    const columns = source.columns.filter((c) => closureOf(c.tags).has(tag)).map((c) => c.name);
    const where =
      columns.length > 0 ? columns.join(" or ") : `a column tagged ${tag} (it has none)`;
    const [what, values] =
      m.type === "group"
        ? ["your groups", [...user.groups]]
        : m.type === "attribute"
          ? [
              `your values of ${textValue(m.attribute as string)}`,
              [...(user.attributes.get(textValue(m.attribute as string)) ?? [])],
            ]
          : m.type === "purpose"
            ? ["your purposes", [...user.purposes]]
            : [`entitlement ${JSON.stringify(m.type)}`, []];
    const shown = values.length > 0 ? ` (${values.join(", ")})` : " (you have none)";
    return { columns, text: `rows whose ${where} is one of ${what}${shown}` };
  });
}

/** The purposes a Purpose Restriction limits usage to: `config.purposes`, or `config.purpose`. */
export function restrictionPurposes(rule: CompiledRule): string[] {
  const config = ruleConfig(rule.rule);
  const list = config.purposes ?? config.purpose;
  if (typeof list === "string") return [list];
  return Array.isArray(list) ? list.filter((p): p is string => typeof p === "string") : [];
}

function purpose(rule: CompiledRule, user: UserContext): PurposeRestriction {
  const purposes = restrictionPurposes(rule);
  const met = purposes.map((p) => ({ p, via: purposeMeeting(user, p) })).find((x) => x.via);
  const acting = user.purposes.length === 0 ? "no purpose" : user.purposes.join(", ");
  return {
    rule: rule.ref,
    purposes,
    met: met !== undefined,
    why: met
      ? `${ruleName(rule.ref)} limits usage to ${purposes.join(" or ")}; you act under ${met.via}`
      : `${ruleName(rule.ref)} limits usage to ${purposes.join(" or ") || "(no purposes given)"}; you act under ${acting}`,
  };
}

function describe(config: { readonly [field: string]: unknown }): string {
  const { fields: _fields, ...rest } = config;
  const text = JSON.stringify(rest);
  return text === "{}" ? "no settings" : text;
}
