/**
 * One line per object saying what Immuta reports it did: created, updated, deleted, disabled or
 * left unchanged. This is what a deploy's log shows for each changed object, so it names the kind
 * and the key and stays on one line.
 */
import { KIND_LABEL, type Kind } from "../payload/kinds";
import type {
  DataResponse,
  PolicyResponse,
  ProjectResponse,
  PurposeResponse,
  ResponseByKind,
} from "../payload/types";

/** Names listed per count; a connection may have thousands of tables. */
const MAX_NAMES = 5;

export function subject(kind: Kind, key: string): string {
  return `${KIND_LABEL[kind]} "${key}"`;
}

/** `data source connection "dwh": created 2 (public.a, public.b), unchanged 1`. */
export function applyOutcome<K extends Kind>(
  kind: K,
  key: string,
  response: ResponseByKind[K],
  dryRun: boolean,
): string {
  const what = describe(kind, response as ResponseByKind[Kind], dryRun);
  return `${dryRun ? "dry run: " : ""}${subject(kind, key)}: ${what}`;
}

function describe(kind: Kind, response: ResponseByKind[Kind], dryRun: boolean): string {
  switch (kind) {
    case "data":
      return describeData(response as DataResponse, dryRun);
    case "policy": {
      const r = response as PolicyResponse;
      const applied = r.appliedTo?.length ?? 0;
      return verb(r, dryRun) + (applied > 0 ? `, applies to ${count(applied, "data source")}` : "");
    }
    case "project": {
      const r = response as ProjectResponse;
      const extras = [
        r.numberOfDataSourcesAdded > 0 &&
          `${count(r.numberOfDataSourcesAdded, "data source")} ${dryRun ? "to add" : "added"}`,
        r.numberOfDataSourcesRemoved > 0 &&
          `${count(r.numberOfDataSourcesRemoved, "data source")} ${dryRun ? "to remove" : "removed"}`,
        r.creatingWorkspace && `workspace ${dryRun ? "to create" : "created"}`,
        r.deletingWorkspace && `workspace ${dryRun ? "to delete" : "deleted"}`,
      ].filter((part): part is string => typeof part === "string");
      return [verb(r, dryRun), ...extras].join(", ");
    }
    case "purpose":
      return verb(response as PurposeResponse, dryRun);
  }
}

function verb(r: { creating: boolean; updating: boolean }, dryRun: boolean): string {
  if (r.creating) return dryRun ? "would be created" : "created";
  if (r.updating) return dryRun ? "would be updated" : "updated";
  return "no change";
}

function describeData(r: DataResponse, dryRun: boolean): string {
  const parts = [
    listed(dryRun ? "would create" : "created", r.creating),
    listed(dryRun ? "would update" : "updated", r.updating),
    listed(dryRun ? "would delete" : "deleted", r.deleting),
    listed(dryRun ? "would disable" : "disabled", r.disabling),
    r.noChange?.length ? `unchanged ${r.noChange.length}` : undefined,
    // A dry run waits for nothing; what a real POST left creating is said at the end.
    r.pending?.length && !dryRun
      ? `${listed("still creating", r.pending)} when --wait ran out`
      : undefined,
    r.tagsUpdated ? (dryRun ? "tags would be updated" : "tags updated") : undefined,
    r.detectionRunning && !dryRun ? "sensitive data discovery running" : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? "no change (no data sources)" : parts.join(", ");
}

function listed(verb: string, names: readonly string[] | undefined): string | undefined {
  if (!names || names.length === 0) return undefined;
  const shown = names.slice(0, MAX_NAMES).join(", ");
  const more = names.length > MAX_NAMES ? `, and ${names.length - MAX_NAMES} more` : "";
  return `${verb} ${names.length} (${shown}${more})`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
