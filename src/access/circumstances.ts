/**
 * Where a global policy applies: its `circumstances` (combined by `circumstanceOperator`) and its
 * `ownerRestrictions`. Each policy is compiled once; testing a data source is then a few set
 * lookups. The explanation (which circumstance matched, on which tag or column) is built only for
 * the answers that show it.
 */
import type { Circumstance, PolicyPayload } from "../payload/types";
import type { ResolvedSource } from "./resolve";
import { textValue } from "./resolve";
import { closureOf, firstUnder, listTags } from "./tags";
import type { AccessWarning, PolicyRef } from "./types";

interface CompiledCircumstance {
  test(source: ResolvedSource): boolean;
  explain(source: ResolvedSource, matched: boolean): string;
}

export interface PolicyScope {
  /** Whether the circumstances match (what the embedded server's `appliedTo` answers). */
  matches(source: ResolvedSource): boolean;
  /** Which circumstances matched, or why none (or not all) did. */
  explain(source: ResolvedSource, matched: boolean): string;
  /** Undefined when the owner restriction holds (or there is none); else why not. */
  ownerProblem(source: ResolvedSource): string | undefined;
  /** What of a data source the answers depend on: its table tags, its columns, its owners. */
  readonly depends: {
    readonly table: boolean;
    readonly columns: boolean;
    readonly owners: boolean;
  };
}

export function policyRef(policy: PolicyPayload): PolicyRef {
  return { policyKey: policy.policyKey, name: textValue(policy.name) };
}

/** `policies["mask-pii"]`: where a policy is, in warnings. */
export function policyPath(policy: PolicyPayload): string {
  return `policies[${JSON.stringify(policy.policyKey)}]`;
}

export function compileScope(policy: PolicyPayload, warnings: AccessWarning[]): PolicyScope {
  const circumstances = (policy.circumstances ?? []).map((c, i) =>
    compileCircumstance(c, `${policyPath(policy)}.circumstances[${i}]`, warnings),
  );
  const operator = policy.circumstanceOperator ?? "any";
  const matches =
    circumstances.length === 0
      ? () => true
      : operator === "all"
        ? (s: ResolvedSource) => circumstances.every((c) => c.test(s))
        : (s: ResolvedSource) => circumstances.some((c) => c.test(s));
  const types = new Set((policy.circumstances ?? []).map((c) => c.type));
  return {
    matches,
    depends: {
      table: types.has("tags") || types.has("noTags"),
      columns: types.has("columnTags") || types.has("columnRegex") || types.has("noTags"),
      owners: policy.ownerRestrictions !== undefined,
    },
    explain(source, matched) {
      if (circumstances.length === 0) return "no circumstances: it applies to every data source";
      const results = circumstances.map((c) => ({ c, holds: c.test(source) }));
      const shown = matched
        ? results.filter((r) => r.holds)
        : operator === "all"
          ? results.filter((r) => !r.holds)
          : results;
      const text = shown.map((r) => r.c.explain(source, r.holds)).join("; ");
      if (matched) return text;
      return operator === "all" && circumstances.length > 1
        ? `not all of its circumstances hold: ${text}`
        : circumstances.length > 1
          ? `none of its circumstances holds: ${text}`
          : text;
    },
    ownerProblem: ownerRestriction(policy),
  };
}

/** A circumstance or a masking field: the same four types, the same meaning. */
export function compileCircumstance(
  c: Circumstance,
  path: string,
  warnings: AccessWarning[],
): CompiledCircumstance {
  switch (c.type) {
    case "tags": {
      const tag = textValue(c.tag);
      return {
        test: (s) => closureOf(s.tableTags).has(tag),
        explain: (s, holds) =>
          holds
            ? `tags ${tag}: the data source is tagged ${firstUnder(s.tableTags, tag)}`
            : `tags ${tag}: the data source is not tagged ${tag} or under it (it has ${listTags(s.tableTags)})`,
      };
    }
    case "columnTags": {
      const tag = textValue(c.columnTag);
      return {
        test: (s) => closureOf(s.columnTags).has(tag),
        explain: (s, holds) => {
          if (!holds) {
            const tagged = s.columns.filter((col) => col.tags.length > 0);
            const have =
              tagged.length === 0
                ? "no column has tags"
                : tagged.map((col) => `${col.name} ${listTags(col.tags)}`).join(", ");
            return `columnTags ${tag}: no column is tagged ${tag} or under it (${have})`;
          }
          const column = s.columns.find((col) => firstUnder(col.tags, tag) !== undefined)!;
          return `columnTags ${tag}: column ${column.name} is tagged ${firstUnder(column.tags, tag)}`;
        },
      };
    }
    case "columnRegex": {
      const source = textValue(c.regex);
      let regex: RegExp;
      try {
        regex = new RegExp(source, c.caseInsensitive ? "i" : "");
      } catch (error) {
        warnings.push({
          path: `${path}.regex`,
          message: `not a valid regular expression (it matches nothing here; the server refuses it): ${(error as Error).message}`,
        });
        return {
          test: () => false,
          explain: () => `columnRegex ${source}: not a valid regular expression`,
        };
      }
      // Column names repeat across tables: each is tested once.
      const seen = new Map<string, boolean>();
      const test = (name: string) => {
        let hit = seen.get(name);
        if (hit === undefined) seen.set(name, (hit = regex.test(name)));
        return hit;
      };
      const shown = `/${source}/${c.caseInsensitive ? "i" : ""}`;
      return {
        test: (s) => s.columns.some((col) => test(col.name)),
        explain: (s, holds) => {
          if (holds)
            return `columnRegex ${shown}: column ${s.columns.find((col) => test(col.name))!.name} matches`;
          if (s.columns.length === 0)
            return `columnRegex ${shown}: the data source has no known columns`;
          return `columnRegex ${shown}: no column matches (columns: ${s.columns.map((col) => col.name).join(", ")})`;
        },
      };
    }
    case "noTags":
      return {
        test: (s) => s.tableTags.length === 0 && s.columnTags.length === 0,
        explain: (s, holds) =>
          holds
            ? "noTags: the data source has no table or column tags"
            : `noTags: the data source has tags (table ${listTags(s.tableTags)}, columns ${listTags(s.columnTags)})`,
      };
    default: {
      const type = (c as { type?: unknown }).type;
      warnings.push({
        path: `${path}.type`,
        message: `circumstance type ${JSON.stringify(type)} is not one the simulator knows (tags, columnTags, columnRegex, noTags): it matches nothing`,
      });
      return {
        test: () => false,
        explain: () => `circumstance type ${JSON.stringify(type)} is not known`,
      };
    }
  }
}

function ownerRestriction(policy: PolicyPayload): (s: ResolvedSource) => string | undefined {
  const restriction = policy.ownerRestrictions;
  if (!restriction) return () => undefined;
  const users = (restriction.users ?? []).map((u) => textValue(u.username));
  const groups = (restriction.groups ?? []).map(textValue);
  const wanted = [...users.map((u) => `user ${u}`), ...groups.map((g) => `group ${g}`)].join(", ");
  return (s) => {
    if (!s.owners) {
      return `ownerRestrictions (${wanted}): the data source's owners are unknown (its connection payload has no owners and no caller was given)`;
    }
    if (
      users.some((u) => s.owners!.users.includes(u)) ||
      groups.some((g) => s.owners!.groups.includes(g))
    ) {
      return undefined;
    }
    const owners = [
      ...s.owners.users.map((u) => `user ${u}`),
      ...s.owners.groups.map((g) => `group ${g}`),
    ];
    return `ownerRestrictions: the policy is restricted to data sources owned by ${wanted}; this one is owned by ${owners.join(", ") || "no one known"}`;
  };
}
