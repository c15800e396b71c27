/**
 * What the server stores per object. Payloads are kept once, as JSON text (the same text is
 * compared for "no change", written to disk and parsed for GET), and data sources as small
 * records that share their tag lists and catalog names, so that 100,000 data sources stay cheap.
 */
import type { Kind } from "../payload/kinds";
import type { CatalogTable } from "./catalog";

export interface RecordBase {
  readonly key: string;
  /** Stable across updates. */
  readonly id: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /**
   * The payload as last POSTed, aliases normalised, as JSON: canonical (keys sorted) for policies,
   * projects and purposes, whose `updating` compares it; in the order sent for connections.
   */
  readonly payload: string;
  /** Where the payload holds values the client marked as secrets (see `secret-marks.ts`). */
  readonly secretPaths?: readonly (readonly string[])[];
}

export interface OwnerState {
  readonly type: "user" | "group";
  readonly name: string;
  readonly iam?: string;
}

export interface ColumnTagState {
  readonly columnName: string;
  readonly tags: readonly string[];
}

export type SourceStatus = "active" | "disabled";

/** One data source. Replaced, never mutated, so an unchanged source keeps its object. */
export interface SourceState {
  readonly name: string;
  readonly connectionKey: string;
  /** A table source's table (shared with the catalog: its columns come with it), or a query. */
  readonly target: CatalogTable | string;
  readonly status: SourceStatus;
  /** When creation completes (epoch ms); 0 once ready. `creating` is this in the future. */
  readonly readyAt: number;
  readonly tableTags: readonly string[];
  readonly columnTags: readonly ColumnTagState[];
}

export interface ConnectionRecord extends RecordBase {
  readonly kind: "data";
  /** `handler`+`hostname`+`database`: one connection key per warehouse connection. */
  readonly identity: string;
  /** `handler`+`hostname`+`port`+`database`: changing these recreates the data sources. */
  readonly details: string;
  /** Hash of what applies to every source (connection, options, owners, naming). */
  readonly settings: string;
  readonly owners: readonly OwnerState[];
  readonly sources: readonly SourceState[];
}

export interface PolicyRecord extends RecordBase {
  readonly kind: "policy";
  /** Set by `reCertify=true` with a changed certification. */
  readonly recertificationRequired: boolean;
}

export interface ProjectRecord extends RecordBase {
  readonly kind: "project";
  readonly purposes: readonly string[];
  readonly datasources: readonly string[];
  readonly workspaceType: string | undefined;
  readonly deleteDataSourcesOnWorkspaceDelete: boolean;
}

export interface PurposeRecord extends RecordBase {
  readonly kind: "purpose";
  /** The purpose's name and every sub-purpose's, at any depth. */
  readonly names: readonly string[];
  /** Set by `reAcknowledgeRequired=true` with a changed acknowledgement. */
  readonly reAcknowledgementRequired: boolean;
}

export interface RecordByKind {
  data: ConnectionRecord;
  policy: PolicyRecord;
  project: ProjectRecord;
  purpose: PurposeRecord;
}

export type AnyRecord = RecordByKind[Kind];

export const NO_TAGS: readonly string[] = Object.freeze([]);
export const NO_COLUMN_TAGS: readonly ColumnTagState[] = Object.freeze([]);

/** `creating` is derived from time, so that no timer has to flip it. */
export function sourceStatus(source: SourceState, now: number): "creating" | SourceStatus {
  return source.status === "active" && source.readyAt > now ? "creating" : source.status;
}
