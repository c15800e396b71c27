/**
 * The V2 API's payloads, query options and responses, with Immuta's field names exactly, so that
 * examples from Immuta's documentation paste in unchanged. The JSON Schemas in `./schema` describe
 * the same shapes for validation and for editors; a test keeps the two in step.
 */
import type { Connection } from "./connection-types";
import type { DataRule } from "./rule-types";

/**
 * A secret placeholder: the CLI replaces it with the named environment variable's value just
 * before sending, so the secret never enters a synthesized file, Terraform state or a plan.
 */
export interface EnvSecret {
  readonly $env: string;
}

/** A free-text value: a literal string, or a secret placeholder resolved at apply time. */
export type Text = string | EnvSecret;

// ---------------------------------------------------------------- data sources (POST /api/v2/data)

export type * from "./connection-types";

export interface NameTemplate {
  /** Data source name, e.g. `<schema>.<tablename>`; empty or absent means the default. */
  readonly dataSourceFormat?: string;
  readonly tableFormat?: string;
  readonly schemaFormat?: string;
  readonly schemaProjectNameFormat?: string;
}

export interface DataSourceOptions {
  readonly staleDataTolerance?: number;
  readonly disableSensitiveDataDiscovery?: boolean;
  readonly domainCollectionId?: Text;
  /** Tables left out of a later POST are deleted when true, disabled when false. */
  readonly hardDelete?: boolean;
  /** Replaces the table tags on every data source of the connection. */
  readonly tableTags?: readonly Text[];
}

export interface Owner {
  readonly type: "user" | "group";
  readonly name: Text;
  readonly iam?: Text;
}

export interface SourceNaming {
  readonly datasource?: string;
  readonly table?: string;
  readonly schema?: string;
}

export interface ColumnTags {
  readonly columnName: string;
  readonly tags: readonly Text[];
}

export interface SourceTags {
  readonly table?: readonly Text[];
  readonly columns?: readonly ColumnTags[];
}

export interface TableSource {
  readonly table: string;
  readonly schema: string;
  readonly naming?: SourceNaming;
  readonly tags?: SourceTags;
}

export interface QuerySource {
  readonly query: Text;
  readonly naming: SourceNaming;
}

export interface AllSources {
  readonly all: true;
}

export type Source = TableSource | QuerySource | AllSources;

export interface DataSourcePayload {
  readonly connectionKey: string;
  readonly connection: Connection;
  readonly nameTemplate?: NameTemplate;
  readonly options?: DataSourceOptions;
  /** Absent: owners unchanged. `[]`: every owner but the caller removed. */
  readonly owners?: readonly Owner[];
  /** Absent, or `[{ all: true }]`: every table the connection can see. */
  readonly sources?: readonly Source[];
}

// ------------------------------------------------------------- global policies (POST /api/v2/policy)

export interface Attribute {
  readonly name: Text;
  readonly value: Text;
}

export interface Approval {
  readonly specificApproverRequired?: boolean;
  /** `OWNER`, `GOVERNANCE`, ... Immuta's newer docs spell it `requiredPermissions`; both are accepted. */
  readonly requiredPermission?: string;
  readonly requiredPermissions?: string;
}

export interface Entitlements {
  readonly operator?: "any" | "all";
  readonly groups?: readonly Text[];
  readonly attributes?: readonly Attribute[];
}

/** The `actions` of a subscription policy, and a project's `subscriptionPolicy`. */
export interface SubscriptionActions {
  readonly type: "anyone" | "approval" | "entitlements" | "manual";
  readonly automaticSubscription?: boolean;
  readonly allowDiscovery?: boolean;
  readonly description?: Text;
  readonly advanced?: Text;
  readonly approvals?: readonly Approval[];
  readonly entitlements?: Entitlements;
}

export const DATA_RULE_TYPES = [
  "Masking",
  "Minimization",
  "Purpose Restriction",
  "Time Restriction",
  "Row Restriction By User Entitlements",
  "Row Restriction by Custom Where Clause",
] as const;
export type DataRuleType = (typeof DATA_RULE_TYPES)[number];

export interface RuleExceptions {
  readonly operator?: "any" | "all";
  readonly groups?: readonly Text[];
  readonly attributes?: readonly Attribute[];
  readonly purposes?: readonly Text[];
}

export type * from "./rule-types";

export interface DataAction {
  readonly rules: readonly DataRule[];
}

export type Circumstance =
  | { readonly type: "tags"; readonly tag: Text }
  | { readonly type: "columnTags"; readonly columnTag: Text }
  | { readonly type: "columnRegex"; readonly regex: Text; readonly caseInsensitive?: boolean }
  | { readonly type: "noTags" };

export interface Certification {
  readonly text?: Text;
  readonly label?: Text;
  readonly tags?: readonly Text[];
  readonly recertify?: boolean;
}

export interface OwnerRestrictions {
  readonly users?: readonly { readonly iamid?: Text; readonly username: Text }[];
  readonly groups?: readonly Text[];
}

interface PolicyCommon {
  readonly policyKey: string;
  readonly name: Text;
  readonly circumstances?: readonly Circumstance[];
  /** @default "any" */
  readonly circumstanceOperator?: "all" | "any";
  /** @default false */
  readonly staged?: boolean;
  readonly certification?: Certification;
  readonly ownerRestrictions?: OwnerRestrictions;
}

export interface SubscriptionPolicyPayload extends PolicyCommon {
  readonly type: "subscription";
  readonly actions: SubscriptionActions;
}

export interface DataPolicyPayload extends PolicyCommon {
  readonly type: "data";
  readonly actions: readonly DataAction[];
}

export type PolicyPayload = SubscriptionPolicyPayload | DataPolicyPayload;

// ------------------------------------------------------------------- projects (POST /api/v2/project)

export type Workspace =
  | {
      readonly type: "databricks";
      readonly config: {
        readonly database?: Text;
        readonly directory?: Text;
        readonly workspaceConfigurationName?: Text;
      };
    }
  | {
      readonly type: "snowflake";
      readonly config: { readonly schema?: Text; readonly warehouses?: readonly Text[] };
    };

export interface ProjectPayload {
  readonly projectKey: string;
  readonly name: Text;
  readonly description?: Text;
  /** Markdown. */
  readonly documentation?: Text;
  /** Immuta's docs also spell it `allowedMaskedJoins`; both are accepted. */
  readonly allowMaskedJoins?: boolean;
  readonly allowedMaskedJoins?: boolean;
  /** Purpose names (sub-purposes by their full dotted name); they must exist. */
  readonly purposes?: readonly string[];
  /** Data source names; they must exist. */
  readonly datasources?: readonly string[];
  /** @default a manual subscription policy */
  readonly subscriptionPolicy?: SubscriptionActions;
  readonly workspace?: Workspace;
  readonly equalization?: boolean;
  readonly tags?: readonly Text[];
}

// ------------------------------------------------------------------- purposes (POST /api/v2/purpose)

export interface Subpurpose {
  /** The full name, carrying the parent's prefix: `Research.Clinical`. */
  readonly name: string;
  readonly description?: Text;
  readonly acknowledgement?: Text;
  readonly subpurposes?: readonly Subpurpose[];
}

export interface PurposePayload {
  readonly name: string;
  readonly description?: Text;
  /** @default the system's acknowledgement statement */
  readonly acknowledgement?: Text;
  readonly kAnonNoiseReduction?: string;
  readonly subpurposes?: readonly Subpurpose[];
}

// ------------------------------------------------------------------------------------- by kind

export interface PayloadByKind {
  data: DataSourcePayload;
  policy: PolicyPayload;
  project: ProjectPayload;
  purpose: PurposePayload;
}

export type AnyPayload = PayloadByKind[keyof PayloadByKind];

// ------------------------------------------------------------------------------- query options

export interface DataQuery {
  readonly dryRun?: boolean;
  /** Seconds to wait for new data sources to be ready; below 0 waits indefinitely. @default 0 */
  readonly wait?: number;
}

export interface PolicyQuery {
  readonly dryRun?: boolean;
  readonly reCertify?: boolean;
}

export interface ProjectQuery {
  readonly dryRun?: boolean;
  readonly deleteDataSourcesOnWorkspaceDelete?: boolean;
}

export interface PurposeQuery {
  readonly dryRun?: boolean;
  readonly reAcknowledgeRequired?: boolean;
}

export interface QueryByKind {
  data: DataQuery;
  policy: PolicyQuery;
  project: ProjectQuery;
  purpose: PurposeQuery;
}

export type AnyQuery = DataQuery & PolicyQuery & ProjectQuery & PurposeQuery;

// ------------------------------------------------------------------------------------ responses

export interface DataResponse {
  readonly dryRun: boolean;
  readonly creating: string[];
  readonly updating: string[];
  readonly deleting: string[];
  readonly noChange: string[];
  readonly disabling: string[];
  readonly detectionRunning: boolean;
  readonly tagsUpdated: boolean;
  /** Sources still being created when `wait` ran out. */
  readonly pending?: string[];
  /** Projects that lose data sources this POST disables or deletes [ours]. */
  readonly removedFromProjects?: RemovedFromProject[];
}

/** A project that loses data sources when their connection goes or they are disabled [ours]. */
export interface RemovedFromProject {
  readonly projectKey: string;
  readonly datasources: string[];
}

export interface PolicyResponse {
  readonly dryRun: boolean;
  readonly creating: boolean;
  readonly updating: boolean;
  readonly policyId: number;
  readonly appliedTo: string[];
}

export interface ProjectResponse {
  readonly dryRun: boolean;
  readonly creating: boolean;
  readonly updating: boolean;
  readonly numberOfDataSourcesAdded: number;
  readonly numberOfDataSourcesRemoved: number;
  readonly creatingWorkspace: boolean;
  readonly deletingWorkspace: boolean;
  readonly projectId: number;
}

export interface PurposeResponse {
  readonly dryRun: boolean;
  readonly creating: boolean;
  readonly updating: boolean;
  readonly purposeId: number;
}

export interface ResponseByKind {
  data: DataResponse;
  policy: PolicyResponse;
  project: ProjectResponse;
  purpose: PurposeResponse;
}

export interface DeleteResponse {
  readonly dryRun: boolean;
  readonly deleted: string;
  /** For a connection: the projects that lose its data sources [ours]. */
  readonly removedFromProjects?: RemovedFromProject[];
}

/** The error body of every non-2xx answer. */
export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
}
