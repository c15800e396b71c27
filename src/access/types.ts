/**
 * The access simulator's inputs and outputs. Inputs are the V2 payloads of a tenant and a user;
 * the output is plain JSON (no functions, no classes) that says, per data source, what the user
 * may do and see and *why*, naming the policy and rule behind every answer.
 */
import type {
  DataRuleType,
  DataSourcePayload,
  PolicyPayload,
  ProjectPayload,
  PurposePayload,
} from "../payload/types";

// ------------------------------------------------------------------------------------ inputs

/**
 * What each connection can see, in the shape `immuta-v2 serve --catalog` reads (see the spec's
 * "Catalog"): schema → table → column names. Hostname, database, schema, table and column names
 * are matched ignoring letter case, as the embedded server does.
 */
export interface AccessCatalog {
  readonly connections: readonly {
    readonly hostname: string;
    readonly database: string;
    readonly schemas: {
      readonly [schema: string]: { readonly [table: string]: readonly string[] };
    };
  }[];
}

/** The objects of a tenant, as their V2 payloads. */
export interface TenantInput {
  readonly dataSources?: readonly DataSourcePayload[];
  readonly policies?: readonly PolicyPayload[];
  readonly projects?: readonly ProjectPayload[];
  readonly purposes?: readonly PurposePayload[];
  /**
   * The tables and columns of each connection. Needed by connections that take every table (no
   * `sources`, or `{ all: true }`); without it, a listed table's columns are only those its
   * column tags name.
   */
  readonly catalog?: AccessCatalog;
  /**
   * The user the payloads are applied as: Immuta makes the caller an owner of every data source
   * it creates, which `ownerRestrictions` can match. @default unknown
   */
  readonly caller?: string;
}

/** The person whose access is simulated. */
export interface SimulatedUser {
  readonly groups?: readonly string[];
  /** Attribute name → value(s), or Immuta's `[{ name, value }]` list. */
  readonly attributes?:
    | { readonly [name: string]: string | readonly string[] }
    | readonly { readonly name: string; readonly value: string }[];
  /**
   * The project the user acts under (its `projectKey` or `name`): the user acts under its
   * purposes, and sees only its data sources.
   */
  readonly project?: string;
  /** Purposes the user acts under directly (besides a project's), by full name (`Research.Clinical`). */
  readonly purposes?: readonly string[];
}

export interface SimulateOptions {
  /**
   * `full` adds, per data source, the policies that do not apply and why, and per column the
   * masking rules that do not target it and why: for explaining a surprise. @default "summary"
   */
  readonly detail?: "summary" | "full";
  /** Only these data sources (by name); the rest are not evaluated. @default all */
  readonly dataSources?: readonly string[];
  /**
   * Treat subscriptions that need someone else (an approval, an owner adding the user) as
   * granted, to see what the user would see once they are. @default false
   */
  readonly assumeApproved?: boolean;
}

// ----------------------------------------------------------------------------------- outputs

/** A global policy, as people and payload files name it. */
export interface PolicyRef {
  readonly policyKey: string;
  readonly name: string;
}

/** One rule of a data policy: `rule` is its path in the payload, `actions[0].rules[1]`. */
export interface RuleRef extends PolicyRef {
  readonly rule: string;
  readonly type: DataRuleType;
}

/** Something in the input the simulator could not interpret, with where it is. */
export interface AccessWarning {
  /** `policies["mask-pii"].actions[0].rules[0].config.fields[1]` */
  readonly path: string;
  readonly message: string;
}

export interface AccessReport {
  readonly user: UserSummary;
  /** Sorted by name. */
  readonly dataSources: readonly DataSourceAccess[];
  /** Parts of the input that could not be evaluated (an unknown masking field type, ...). */
  readonly warnings: readonly AccessWarning[];
}

export interface UserSummary {
  readonly groups: readonly string[];
  readonly attributes: { readonly [name: string]: readonly string[] };
  /** Every purpose the user acts under: given directly or through the project. */
  readonly purposes: readonly string[];
  readonly project?: {
    readonly projectKey: string;
    readonly name: string;
    readonly purposes: readonly string[];
    readonly datasources: readonly string[];
    /** How the user would join the project, by its `subscriptionPolicy`. */
    readonly membership: SubscriptionDecision;
  };
}

/**
 * How the user gets a data source (or a project):
 * - `automatic`: subscribed without asking (`automaticSubscription: true`);
 * - `self`: may subscribe, with no one else involved;
 * - `approval`: may ask; an approver must agree;
 * - `manual`: only an owner can add the user;
 * - `denied`: the entitlements the policy requires are not the user's;
 * - `none`: no subscription policy applies (Immuta grants nothing; see `choices.ts`);
 * - `unknown`: the policy could not be evaluated (see the report's warnings).
 */
export type SubscriptionAccess =
  "automatic" | "self" | "approval" | "manual" | "denied" | "none" | "unknown";

export interface SubscriptionDecision {
  readonly access: SubscriptionAccess;
  /** The user can get access: now, by subscribing, or by asking for approval. */
  readonly maySubscribe: boolean;
  /** The policy that decides; absent for `none`. */
  readonly policy?: PolicyRef;
  /** Entitlement policies whose conditions the user meets (they combine with OR). */
  readonly matched: readonly PolicyRef[];
  /** For `approval`: who must approve. */
  readonly approvals?: readonly {
    readonly requiredPermission?: string;
    readonly specificApproverRequired?: boolean;
  }[];
  /** The data source shows in search to this user even without access (`allowDiscovery`). */
  readonly discoverable: boolean;
  readonly why: string;
  /** Policies that also apply but do not decide, each with why (see `choices.ts`). */
  readonly overridden: readonly { readonly policy: PolicyRef; readonly why: string }[];
}

/** A global policy whose circumstances match a data source. */
export interface PolicyMatch extends PolicyRef {
  readonly type: "subscription" | "data";
  readonly staged: boolean;
  /** Not staged, and its `ownerRestrictions` (if any) hold: the policy is in force here. */
  readonly enforced: boolean;
  /** Which circumstances matched, and why it is not enforced when it is not. */
  readonly why: string;
}

/** A global policy whose circumstances do not match a data source (`detail: "full"`). */
export interface PolicyMiss extends PolicyRef {
  readonly type: "subscription" | "data";
  readonly why: string;
}

export interface Masking {
  /** `maskingConfig.type` as given: `Hash`, `Constant`, `Null`, `Regex`, `Rounding`, ... */
  readonly type: string;
  /** The rest of `maskingConfig` (`constant`, `regex`, ...). */
  readonly config: { readonly [field: string]: unknown };
  /** Conditional masking: only cells of rows where this predicate holds are masked. */
  readonly where?: string;
  readonly rule: RuleRef;
  /** Which of the rule's `fields` targets the column, and through which column tag. */
  readonly matchedBy: string;
}

/**
 * - `clear`: the user sees the values;
 * - `masked`: the user sees them masked (`masking` says how, by which rule);
 * - `not visible`: the user cannot query the data source (see its `why`); `masking` still says
 *   what would mask the column once they can.
 */
export type ColumnState = "clear" | "masked" | "not visible";

export interface ColumnAccess {
  readonly column: string;
  readonly tags: readonly string[];
  readonly state: ColumnState;
  /** The masking in force for this user (also when the data source is not visible). */
  readonly masking?: Masking;
  /** A masking rule targets the column, but its exceptions or inclusions leave the user out. */
  readonly excused?: { readonly rule: RuleRef; readonly why: string };
  /** Masking rules of other policies on this column that give way to the one chosen. */
  readonly overridden: readonly { readonly rule: RuleRef; readonly why: string }[];
  /** Staged policies' rules that would mask the column once activated. */
  readonly staged: readonly RuleRef[];
  readonly why: string;
  /** `detail: "full"`: masking rules of policies in force here that do not target the column. */
  readonly notTargeting?: readonly { readonly rule: RuleRef; readonly why: string }[];
}

/** A row-level rule in force for the user: custom where clause, entitlements, time, minimization. */
export interface RowFilter {
  readonly rule: RuleRef;
  /** The rule's `config` as given. */
  readonly config: { readonly [field: string]: unknown };
  /** `config.predicate` of a custom where clause. */
  readonly predicate?: string;
  /** Columns the rule's `config.fields` target, when it has fields. */
  readonly columns?: readonly string[];
  readonly why: string;
}

export interface PurposeRestriction {
  readonly rule: RuleRef;
  /** The purposes the rule limits usage to. */
  readonly purposes: readonly string[];
  /** The user acts under one of them (or a sub-purpose), or is excused. */
  readonly met: boolean;
  readonly why: string;
}

export interface DataSourceAccess {
  readonly name: string;
  readonly connectionKey: string;
  readonly tableTags: readonly string[];
  /** The user can query it now (subscribed or may subscribe alone, not blocked by a purpose). */
  readonly visible: boolean;
  readonly why: string;
  readonly subscription: SubscriptionDecision;
  /** When the user acts under a project: whether this data source is in it. */
  readonly inProject?: boolean;
  /** Global policies whose circumstances match, staged ones included. */
  readonly policies: readonly PolicyMatch[];
  readonly columns: readonly ColumnAccess[];
  /** Row-level rules in force for the user; they all apply (AND). */
  readonly rowFilters: readonly RowFilter[];
  readonly purposeRestrictions: readonly PurposeRestriction[];
  /** Row-level and purpose rules whose exceptions or inclusions leave the user out. */
  readonly excused: readonly { readonly rule: RuleRef; readonly why: string }[];
  /** `detail: "full"`: global policies whose circumstances do not match, and why. */
  readonly notApplied?: readonly PolicyMiss[];
}
