/**
 * One user's evaluation of a tenant's data sources. What a data source gets depends only on its
 * shape (table tags, columns with their tags, owners), never on its name, so each distinct shape
 * is evaluated once and data sources alike share the answer's parts (shapes are shared objects
 * with small ids: see `Interner` in interner.ts). Nothing here is user-independent enough to keep
 * across users but `CompiledPolicy.on`, which the tenant keeps.
 */
import { inForceNote, maskColumn, type ColumnMasking, type MaskingPolicy } from "./masking";
import type { ResolvedColumn, ResolvedSource } from "./resolve";
import { rowRules, type RowOutcome, type RowPolicy } from "./rows";
import { decideSubscription, type SubscriptionRule } from "./subscription";
import type { CompiledPolicy, CompiledTenant } from "./tenant";
import type {
  ColumnAccess,
  DataSourceAccess,
  PolicyMatch,
  PolicyMiss,
  SimulateOptions,
} from "./types";
import type { UserContext } from "./user";

/** Everything of a data source's answer but its name: what its shape decides. */
export type Core = Omit<DataSourceAccess, "name" | "connectionKey" | "tableTags" | "inProject">;

/** One user's evaluation, remembering each shape's answer. */
export class Evaluator {
  private readonly full: boolean;
  private readonly cores = new Map<number, Map<number, Core>>();
  private readonly masks = new Map<string, WeakMap<ResolvedColumn, ColumnMasking>>();
  private readonly subscriptions = new Map<string, Core["subscription"]>();
  private readonly rows = new Map<string, RowOutcome>();
  private readonly shownColumns = new WeakMap<ColumnMasking, ColumnAccess>();
  private readonly hiddenColumns = new WeakMap<ColumnMasking, Map<string, ColumnAccess>>();
  private readonly blockedCores = new WeakMap<Core, Core>();
  /** Each core's columns before visibility, for laying another reason over them. */
  private readonly coreMasks = new WeakMap<Core, readonly ColumnMasking[]>();

  constructor(
    private readonly tenant: CompiledTenant,
    private readonly user: UserContext,
    private readonly options: SimulateOptions,
  ) {
    this.full = options.detail === "full";
  }

  core(source: ResolvedSource): Core {
    let byOwners = this.cores.get(source.ids.shape);
    if (!byOwners) this.cores.set(source.ids.shape, (byOwners = new Map()));
    let core = byOwners.get(source.ids.owners);
    if (!core) byOwners.set(source.ids.owners, (core = this.evaluate(source)));
    return core;
  }

  /** The same answer for a data source the user cannot query, for `reason`. */
  blocked(core: Core, reason: string): Core {
    let blocked = this.blockedCores.get(core);
    if (!blocked) {
      blocked = {
        ...core,
        visible: false,
        why: `not visible: ${reason}`,
        columns: this.coreMasks.get(core)!.map((m) => this.column(m, reason)),
      };
      this.blockedCores.set(core, blocked);
    }
    return blocked;
  }

  private evaluate(source: ResolvedSource): Core {
    const { full, user, options } = this;
    const policies: PolicyMatch[] = [];
    const notApplied: PolicyMiss[] = [];
    const subscriptions: SubscriptionRule[] = [];
    const masking: MaskingPolicy[] = [];
    const stagedMasking: MaskingPolicy[] = [];
    const rows: RowPolicy[] = [];
    // Which policies are in force, as a key for answers that depend on nothing else.
    let subscriptionKey = "";
    let maskingKey = "";
    let rowsKey = "";
    this.tenant.policies.forEach((policy, index) => {
      const on = policy.on(source);
      if (!on.match) {
        if (full) notApplied.push(miss(policy, source));
        return;
      }
      policies.push(on.match);
      if (policy.masking && policy.masking.rules.length > 0) {
        if (on.enforced) {
          masking.push(policy.masking);
          maskingKey += `${index},`;
        } else if (on.stagedOnly) {
          stagedMasking.push(policy.masking);
          maskingKey += `s${index},`;
        }
      }
      if (!on.enforced) return;
      if (policy.subscription) {
        subscriptions.push(policy.subscription);
        subscriptionKey += `${index},`;
      }
      if (policy.rows && policy.rows.groups.length > 0) {
        rows.push(policy.rows);
        rowsKey += `${index},`;
      }
    });

    const subscription = this.subscription(subscriptionKey, subscriptions, source);
    const row = this.rowRules(rowsKey, rows, source);
    const blocked = blockedBy(subscription, row.purposeRestrictions, options);
    const visible = blocked === undefined;
    let byColumn = this.masks.get(maskingKey);
    if (!byColumn) this.masks.set(maskingKey, (byColumn = new WeakMap()));
    let inForce: string | undefined;
    const masks = source.columns.map((column) => {
      let m = byColumn.get(column);
      if (!m) {
        inForce ??= inForceNote(masking);
        m = maskColumn(column, masking, stagedMasking, user, inForce, full);
        byColumn.set(column, m);
      }
      return m;
    });
    const columns = masks.map((m) => this.column(m, blocked));
    const core: Core = {
      visible,
      why: visible
        ? `visible: ${subscription.why}${assumed(subscription.access, options)}`
        : `not visible: ${blocked}`,
      subscription,
      policies,
      columns,
      rowFilters: row.rowFilters,
      purposeRestrictions: row.purposeRestrictions,
      excused: row.excused,
      ...(full ? { notApplied } : {}),
    };
    this.coreMasks.set(core, masks);
    return core;
  }

  /** A column's answer, shared by every data source with the column, the masking and the reason. */
  private column(m: ColumnMasking, blocked: string | undefined): ColumnAccess {
    if (blocked === undefined) {
      let shown = this.shownColumns.get(m);
      if (!shown) this.shownColumns.set(m, (shown = visibleColumn(m)));
      return shown;
    }
    let byReason = this.hiddenColumns.get(m);
    if (!byReason) this.hiddenColumns.set(m, (byReason = new Map()));
    let hidden = byReason.get(blocked);
    if (!hidden) byReason.set(blocked, (hidden = notVisible(m, blocked)));
    return hidden;
  }

  /** Row rules read a data source's columns only when they have fields or entitlement matches. */
  private rowRules(
    key: string,
    policies: readonly RowPolicy[],
    source: ResolvedSource,
  ): RowOutcome {
    const full = policies.some((p) => p.readsColumns) ? `${key}|${source.ids.columns}` : key;
    let outcome = this.rows.get(full);
    if (!outcome) this.rows.set(full, (outcome = rowRules(source, policies, this.user)));
    return outcome;
  }

  /**
   * The decision among the subscription policies in force; when the DSL's tag functions look at
   * the data source's tags, those are part of the key.
   */
  private subscription(
    key: string,
    rules: readonly SubscriptionRule[],
    source: ResolvedSource,
  ): Core["subscription"] {
    const tagKey = rules.some((r) => r.readsTags)
      ? `${key}|${source.ids.table}|${source.ids.columns}`
      : key;
    let decision = this.subscriptions.get(tagKey);
    if (!decision) {
      decision = decideSubscription(rules, this.user, source);
      this.subscriptions.set(tagKey, decision);
    }
    return decision;
  }
}

function visibleColumn(m: ColumnMasking): ColumnAccess {
  return column(m, m.masking ? "masked" : "clear", m.why);
}

function notVisible(m: ColumnMasking, reason: string): ColumnAccess {
  return column(m, "not visible", `not visible: ${reason}; once visible: ${m.why}`);
}

/** A column's answer, its fields listed (not spread: there is one per column of every source). */
function column(m: ColumnMasking, state: ColumnAccess["state"], why: string): ColumnAccess {
  return {
    column: m.column,
    tags: m.tags,
    state,
    ...(m.masking ? { masking: m.masking } : {}),
    ...(m.excused ? { excused: m.excused } : {}),
    overridden: m.overridden,
    staged: m.staged,
    why,
    ...(m.notTargeting ? { notTargeting: m.notTargeting } : {}),
  };
}

function assumed(access: string, options: SimulateOptions): string {
  return options.assumeApproved && (access === "approval" || access === "manual")
    ? " (assumed granted: assumeApproved)"
    : "";
}

/** Why the user cannot query the data source now; undefined when they can. */
function blockedBy(
  subscription: DataSourceAccess["subscription"],
  purposes: DataSourceAccess["purposeRestrictions"],
  options: SimulateOptions,
): string | undefined {
  const granted =
    subscription.access === "automatic" ||
    subscription.access === "self" ||
    (options.assumeApproved === true &&
      (subscription.access === "approval" || subscription.access === "manual"));
  if (!granted) return subscription.why;
  const unmet = purposes.find((p) => !p.met);
  if (unmet) return unmet.why;
  return undefined;
}

function miss(policy: CompiledPolicy, source: ResolvedSource): PolicyMiss {
  return { ...policy.ref, type: policy.type, why: policy.scope.explain(source, false) };
}
