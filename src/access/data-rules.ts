/**
 * A data policy's rules, compiled once: which columns a rule's `config.fields` target (with the
 * depth of the tag that targets them, for conflicts), and whether the rule targets the user
 * (`inclusions`) or excuses them (`exceptions`). Shared by masking and row-level evaluation.
 */
import type { Circumstance, DataPolicyPayload, DataRule } from "../payload/types";
import { policyPath, policyRef } from "./circumstances";
import type { ResolvedColumn } from "./resolve";
import { textValue } from "./resolve";
import { closureOf, firstUnder, listTags, tagDepth } from "./tags";
import type { AccessWarning, RuleRef } from "./types";
import { excusedBy, includedBy, type UserContext, type Verdict } from "./user";

/** How a field targets a column: through which tag, and how deep that tag sits. */
export interface FieldHit {
  readonly depth: number;
  readonly via: string;
}

interface CompiledField {
  hit(column: ResolvedColumn): FieldHit | undefined;
  /** `columnTag PII`, for messages. */
  readonly label: string;
}

export interface CompiledRule {
  readonly ref: RuleRef;
  readonly rule: DataRule;
  /** Undefined when the rule's config has no `fields`. */
  readonly fields?: readonly CompiledField[];
  /** The rule's fields, for messages: `columnTag PII, noTags`. */
  readonly fieldsLabel: string;
}

export interface CompiledDataPolicy {
  readonly rules: readonly CompiledRule[];
}

export function compileDataPolicy(
  policy: DataPolicyPayload,
  warnings: AccessWarning[],
): CompiledDataPolicy {
  const base = policyRef(policy);
  const rules: CompiledRule[] = [];
  (policy.actions ?? []).forEach((action, a) => {
    (action.rules ?? []).forEach((rule, r) => {
      const path = `actions[${a}].rules[${r}]`;
      const at = `${policyPath(policy)}.${path}`;
      const ref: RuleRef = { ...base, rule: path, type: rule.type };
      const config = ruleConfig(rule);
      const given = config.fields;
      let fields: CompiledField[] | undefined;
      if (given !== undefined) {
        if (!Array.isArray(given)) {
          warnings.push({
            path: `${at}.config.fields`,
            message: "must be a list of fields; it targets no column",
          });
          fields = [];
        } else {
          fields = given.map((f, i) =>
            compileField(f as Circumstance, `${at}.config.fields[${i}]`, warnings),
          );
        }
      } else if (rule.type === "Masking") {
        warnings.push({
          path: `${at}.config.fields`,
          message: "a Masking rule without fields targets no column",
        });
        fields = [];
      }
      if (rule.type === "Masking" && typeof config.maskingConfig !== "object") {
        warnings.push({
          path: `${at}.config.maskingConfig`,
          message: 'a Masking rule without maskingConfig: the masking type shows as "unknown"',
        });
      }
      rules.push({
        ref,
        rule,
        fields,
        fieldsLabel: fields ? fields.map((f) => f.label).join(", ") || "no fields" : "",
      });
    });
  });
  return { rules };
}

/** A masking (or row rule) field: `columnTags`, `columnRegex` or `noTags`, judged per column. */
function compileField(field: Circumstance, path: string, warnings: AccessWarning[]): CompiledField {
  switch (field?.type) {
    case "columnTags": {
      const tag = textValue(field.columnTag);
      const depth = tagDepth(tag);
      return {
        label: `columnTag ${tag}`,
        hit: (column) =>
          closureOf(column.tags).has(tag)
            ? { depth, via: `columnTag ${tag} matches its tag ${firstUnder(column.tags, tag)}` }
            : undefined,
      };
    }
    case "columnRegex": {
      let regex: RegExp;
      try {
        regex = new RegExp(textValue(field.regex), field.caseInsensitive ? "i" : "");
      } catch (error) {
        warnings.push({
          path: `${path}.regex`,
          message: `not a valid regular expression: ${(error as Error).message}`,
        });
        return { label: "an invalid columnRegex", hit: () => undefined };
      }
      const label = `columnRegex /${regex.source}/${regex.flags}`;
      return {
        label,
        hit: (column) =>
          regex.test(column.name) ? { depth: 0, via: `${label} matches its name` } : undefined,
      };
    }
    case "noTags":
      return {
        label: "noTags",
        hit: (column) =>
          column.tags.length === 0 ? { depth: 0, via: "noTags: it has no tags" } : undefined,
      };
    default:
      warnings.push({
        path: `${path}.type`,
        message: `field type ${JSON.stringify((field as { type?: unknown })?.type)} is not one the simulator knows (columnTags, columnRegex, noTags): it targets no column`,
      });
      return { label: "an unknown field", hit: () => undefined };
  }
}

/** The deepest field of the rule that targets the column. */
export function ruleHit(rule: CompiledRule, column: ResolvedColumn): FieldHit | undefined {
  let best: FieldHit | undefined;
  for (const field of rule.fields ?? []) {
    const hit = field.hit(column);
    if (hit && (!best || hit.depth > best.depth)) best = hit;
  }
  return best;
}

/** Why a rule does not target a column, for `detail: "full"`. */
export function missWhy(rule: CompiledRule, column: ResolvedColumn): string {
  return `its fields (${rule.fieldsLabel}) do not target ${column.name}, which has ${listTags(column.tags)}`;
}

/**
 * Among rules of one policy that could apply (in rule order), the one that targets the user:
 * the first whose `inclusions` include them (a rule without inclusions includes everyone).
 * `excused` says why the user is left out: no rule includes them, or the rule's `exceptions`.
 */
export function userRule(
  candidates: readonly CompiledRule[],
  user: UserContext,
): { readonly rule: CompiledRule; readonly excused?: Verdict } {
  let firstMiss: { rule: CompiledRule; verdict: Verdict } | undefined;
  for (const rule of candidates) {
    const inclusions = rule.rule.inclusions;
    if (inclusions) {
      const included = includedBy(user, inclusions);
      if (!included.holds) {
        firstMiss ??= {
          rule,
          verdict: { holds: true, why: `its inclusions leave you out: ${included.why}` },
        };
        continue;
      }
    }
    if (rule.rule.exceptions) {
      const excused = excusedBy(user, rule.rule.exceptions);
      if (excused.holds)
        return { rule, excused: { holds: true, why: `its exceptions excuse you: ${excused.why}` } };
    }
    return { rule };
  }
  return { rule: firstMiss!.rule, excused: firstMiss!.verdict };
}

/** `mask-pii actions[0].rules[1]`: how messages name a rule. */
export function ruleName(ref: RuleRef): string {
  return `${ref.policyKey} ${ref.rule}`;
}

/**
 * A rule's `config` as a plain record, without the validator's `$unchecked` marker: the simulator
 * reads the fields it knows and reports the rest as given, checked or not.
 */
export function ruleConfig(rule: DataRule): { readonly [field: string]: unknown } {
  const config = (rule.config ?? {}) as { readonly [field: string]: unknown };
  if (!("$unchecked" in config)) return config;
  const { $unchecked: _marker, ...rest } = config;
  return rest;
}
