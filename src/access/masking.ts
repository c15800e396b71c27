/**
 * Per column: which masking rule is in force for the user, or why none is. Conflicts between
 * policies are resolved per column whoever the user is (choices.ts): the rule whose field
 * names the deeper tag wins, then the first policyKey. Within the winning policy, the first rule
 * that targets the user decides (inclusions, then the "otherwise" rule), and its exceptions may
 * excuse them.
 */
import type { CompiledRule, FieldHit } from "./data-rules";
import { missWhy, ruleConfig, ruleHit, ruleName, userRule } from "./data-rules";
import type { ResolvedColumn } from "./resolve";
import { listTags } from "./tags";
import type { ColumnAccess, Masking, RuleRef } from "./types";
import type { UserContext } from "./user";

/** A data policy's masking rules, in rule order. */
export interface MaskingPolicy {
  readonly policyKey: string;
  readonly rules: readonly CompiledRule[];
}

/** A column's masking, before the data source's visibility is laid over it. */
export type ColumnMasking = Omit<ColumnAccess, "state">;

interface Candidate {
  readonly policy: MaskingPolicy;
  /** The policy's rules that target the column, in rule order, with their hits. */
  readonly hits: { rule: CompiledRule; hit: FieldHit }[];
  readonly depth: number;
}

/**
 * @param enforced masking policies in force on the data source, in policyKey order
 * @param staged staged policies whose circumstances match, for the column's `staged` list
 * @param inForce a one-line list of the masking rules in force, for "why clear" messages
 */
export function maskColumn(
  column: ResolvedColumn,
  enforced: readonly MaskingPolicy[],
  staged: readonly MaskingPolicy[],
  user: UserContext,
  inForce: string,
  full: boolean,
): ColumnMasking {
  const candidates: Candidate[] = [];
  const notTargeting: { rule: RuleRef; why: string }[] = [];
  for (const policy of enforced) {
    let hits: Candidate["hits"] | undefined;
    let depth = -1;
    for (const rule of policy.rules) {
      const hit = ruleHit(rule, column);
      if (hit) {
        (hits ??= []).push({ rule, hit });
        if (hit.depth > depth) depth = hit.depth;
      } else if (full) notTargeting.push({ rule: rule.ref, why: missWhy(rule, column) });
    }
    if (hits) candidates.push({ policy, hits, depth });
  }
  const stagedRules: RuleRef[] = [];
  for (const policy of staged) {
    for (const rule of policy.rules) if (ruleHit(rule, column)) stagedRules.push(rule.ref);
  }
  const tags = column.tags;
  const extra = full ? { notTargeting } : {};
  if (candidates.length === 0) {
    return {
      column: column.name,
      tags,
      overridden: [],
      staged: stagedRules,
      why: `no masking rule in force targets ${column.name}, which has ${listTags(tags)}${inForce}${stagedNote(stagedRules)}`,
      ...extra,
    };
  }
  // Deepest tag first; at equal depth the candidates keep policyKey order (stable sort).
  const [winner, ...losers] = [...candidates].sort((a, b) => b.depth - a.depth);
  const chosen = userRule(
    winner.hits.map((h) => h.rule),
    user,
  );
  const hit = winner.hits.find((h) => h.rule === chosen.rule)!.hit;
  const overridden = losers.flatMap((loser) =>
    loser.hits.map(({ rule, hit: lost }) => ({
      rule: rule.ref,
      why:
        loser.depth < winner.depth
          ? `${lost.via}, but ${ruleName(chosen.rule.ref)} targets it through a deeper tag (${hit.via}): the deeper tag wins (Immuta's data policy conflicts)`
          : `${lost.via}, as ${ruleName(chosen.rule.ref)} does at the same depth: the first policyKey wins (ours, see src/access/choices.ts)`,
    })),
  );
  if (chosen.excused) {
    return {
      column: column.name,
      tags,
      excused: { rule: chosen.rule.ref, why: chosen.excused.why },
      overridden,
      staged: stagedRules,
      why: `${ruleName(chosen.rule.ref)} targets ${column.name} (${hit.via}) but ${chosen.excused.why}`,
      ...extra,
    };
  }
  const masking = maskingOf(chosen.rule, hit);
  return {
    column: column.name,
    tags,
    masking,
    overridden,
    staged: stagedRules,
    why: `masked (${masking.type}${masking.where ? ` where ${masking.where}` : ""}) by ${ruleName(chosen.rule.ref)}: ${hit.via}`,
    ...extra,
  };
}

function maskingOf(rule: CompiledRule, hit: FieldHit): Masking {
  const config = ruleConfig(rule.rule);
  const { type, ...rest } = (config.maskingConfig ?? {}) as {
    type?: unknown;
    [field: string]: unknown;
  };
  const where = config.conditionalPredicate;
  return {
    type: typeof type === "string" ? type : "unknown",
    config: rest,
    ...(typeof where === "string" ? { where } : {}),
    rule: rule.ref,
    matchedBy: hit.via,
  };
}

function stagedNote(staged: readonly RuleRef[]): string {
  return staged.length === 0
    ? ""
    : `; staged (not enforced): ${staged.map(ruleName).join(", ")} would mask it`;
}

/** `; masking rules in force here: mask-pii actions[0].rules[0] (columnTag PII)`, capped. */
export function inForceNote(enforced: readonly MaskingPolicy[]): string {
  const rules = enforced.flatMap((p) => p.rules);
  if (rules.length === 0) return "; no masking policy applies to this data source";
  const shown = rules.slice(0, 5).map((r) => `${ruleName(r.ref)} (${r.fieldsLabel})`);
  const more = rules.length > 5 ? `, and ${rules.length - 5} more` : "";
  return `; masking rules in force here: ${shown.join(", ")}${more}`;
}
