/**
 * A tenant compiled for simulation: its data sources resolved (names, tags, columns), its global
 * policies compiled (circumstances, subscription actions, data rules), once, so that simulating
 * many users (or one user many times) costs only the evaluation.
 */
import { ValidationError, type Problem } from "../errors";
import { purposeNames } from "../payload/naming";
import type { PolicyPayload, ProjectPayload } from "../payload/types";
import { compileScope, policyPath, policyRef, type PolicyScope } from "./circumstances";
import { compileDataPolicy } from "./data-rules";
import type { MaskingPolicy } from "./masking";
import { resolveSources, type ResolvedSource } from "./resolve";
import { restrictionPurposes, rowPolicy, type RowPolicy } from "./rows";
import { compileSubscription, type SubscriptionRule } from "./subscription";
import type { AccessWarning, PolicyMatch, PolicyRef, TenantInput } from "./types";

/** How a policy stands on one data source (shape). */
export interface PolicyOnSource {
  /** Its circumstances match: listed in the data source's `policies`. */
  readonly match?: PolicyMatch;
  /** Not staged, owner restriction met. */
  readonly enforced: boolean;
  /** Staged but otherwise in force: shown as what would change once activated. */
  readonly stagedOnly: boolean;
}

export interface CompiledPolicy {
  readonly ref: PolicyRef;
  /** The policy on a data source, remembered per shape (it does not depend on the user). */
  on(source: ResolvedSource): PolicyOnSource;
  readonly type: "subscription" | "data";
  readonly staged: boolean;
  readonly scope: PolicyScope;
  readonly subscription?: SubscriptionRule;
  /** Data policies: their Masking rules (possibly none). */
  readonly masking?: MaskingPolicy;
  /** Data policies: their other rules, by type (possibly none). */
  readonly rows?: RowPolicy;
}

export class CompiledTenant {
  /** By name. */
  readonly sources: ReadonlyMap<string, ResolvedSource>;
  /** In policyKey order (JavaScript string order), which the [ours] tie-breaks rely on. */
  readonly policies: readonly CompiledPolicy[];
  readonly projects: readonly ProjectPayload[];
  /** Every purpose and sub-purpose name. */
  readonly purposes: ReadonlySet<string>;
  readonly warnings: readonly AccessWarning[];

  constructor(input: TenantInput) {
    const warnings: AccessWarning[] = [];
    const resolved = resolveSources(input.dataSources ?? [], input.catalog, input.caller);
    const problems: Problem[] = [...resolved.problems];
    warnings.push(...resolved.warnings);
    const byKey = new Map<string, PolicyPayload>();
    for (const policy of input.policies ?? []) {
      if (byKey.has(policy.policyKey)) {
        problems.push({
          path: policyPath(policy),
          message: "given twice: policy keys must be unique",
        });
      }
      byKey.set(policy.policyKey, policy);
    }
    if (problems.length > 0) throw new ValidationError("access simulation input", problems);
    this.sources = new Map(resolved.sources.map((s) => [s.name, s]));
    this.policies = [...byKey.values()]
      .sort((a, b) => (a.policyKey < b.policyKey ? -1 : a.policyKey > b.policyKey ? 1 : 0))
      .map((p) => compilePolicy(p, warnings));
    this.projects = input.projects ?? [];
    this.purposes = new Set((input.purposes ?? []).flatMap(purposeNames));
    this.warnings = warnings;
  }

  /** A project by `projectKey`, or else by name. */
  project(keyOrName: string): ProjectPayload | undefined {
    return (
      this.projects.find((p) => p.projectKey === keyOrName) ??
      this.projects.find((p) => p.name === keyOrName)
    );
  }
}

function compilePolicy(policy: PolicyPayload, warnings: AccessWarning[]): CompiledPolicy {
  const ref = policyRef(policy);
  const staged = policy.staged === true;
  const type = policy.type;
  const scope = compileScope(policy, warnings);
  const { depends } = scope;
  // Only what the answer depends on is part of the key: a tag-only policy is decided once per
  // distinct list of table tags.
  const memo = new Map<number, PolicyOnSource>();
  const byOwners = depends.owners ? new Map<string, PolicyOnSource>() : undefined;
  const keyOf = ({ ids }: ResolvedSource) =>
    depends.table ? (depends.columns ? ids.shape : ids.table) : depends.columns ? -ids.columns : 0;
  const on = (source: ResolvedSource): PolicyOnSource => {
    if (byOwners) {
      const key = `${keyOf(source)},${source.ids.owners}`;
      let found = byOwners.get(key);
      if (!found) byOwners.set(key, (found = decide(source)));
      return found;
    }
    const key = keyOf(source);
    let found = memo.get(key);
    if (!found) memo.set(key, (found = decide(source)));
    return found;
  };
  const decide = (source: ResolvedSource): PolicyOnSource => {
    if (!scope.matches(source)) return { enforced: false, stagedOnly: false };
    const ownerProblem = scope.ownerProblem(source);
    const because = scope.explain(source, true);
    return {
      match: {
        policyKey: ref.policyKey,
        name: ref.name,
        type,
        staged,
        enforced: !staged && ownerProblem === undefined,
        why: staged
          ? `${because}; staged: not enforced`
          : ownerProblem
            ? `${because}; not enforced: ${ownerProblem}`
            : because,
      },
      enforced: !staged && ownerProblem === undefined,
      stagedOnly: staged && ownerProblem === undefined,
    };
  };
  const common = { ref, type, staged, scope, on };
  if (policy.type === "subscription") {
    return {
      ...common,
      subscription: compileSubscription(
        common.ref,
        policy.actions,
        `${policyPath(policy)}.actions`,
        warnings,
      ),
    };
  }
  const { rules } = compileDataPolicy(policy, warnings);
  for (const rule of rules) {
    if (rule.ref.type === "Purpose Restriction" && restrictionPurposes(rule).length === 0) {
      warnings.push({
        path: `${policyPath(policy)}.${rule.ref.rule}.config.purposes`,
        message: "a Purpose Restriction without purposes: no one meets it",
      });
    }
  }
  return {
    ...common,
    masking: { policyKey: policy.policyKey, rules: rules.filter((r) => r.ref.type === "Masking") },
    rows: rowPolicy(rules),
  };
}
