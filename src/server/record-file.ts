/**
 * A stored object as the text of its own file, and back. The payload is spliced in as the canonical
 * JSON the server already holds, so writing costs one pass over the object and never re-reads the
 * rest of the store. What the server derives from the payload (identity, settings, each table's
 * catalog entry) is derived again on load rather than stored twice.
 */
import { basename, dirname } from "node:path";
import { canonicalJson } from "../payload/canonical";
import { isKind } from "../payload/kinds";
import type { DataSourcePayload, ProjectPayload, PurposePayload } from "../payload/types";
import type { CatalogIndex } from "./catalog";
import { connectionFacts, settingsOf } from "./data-sources";
import { fileNameOf, type StoredFile } from "./persist";
import { projectFields } from "./projects";
import { walkPurpose } from "./purposes";
import {
  NO_COLUMN_TAGS,
  NO_TAGS,
  type AnyRecord,
  type ColumnTagState,
  type ConnectionRecord,
  type OwnerState,
  type SourceState,
} from "./records";

interface StoredSource {
  name: string;
  schema?: string;
  table?: string;
  query?: string;
  status?: "disabled";
  readyAt?: number;
  tableTags?: string[];
  columnTags?: ColumnTagState[];
}

export function encodeRecord(record: AnyRecord): string {
  const head =
    `{"kind":${JSON.stringify(record.kind)},"key":${JSON.stringify(record.key)},"id":${record.id},` +
    `"createdAt":${JSON.stringify(record.createdAt)},"updatedAt":${JSON.stringify(record.updatedAt)},` +
    `"payload":${record.payload},"state":`;
  const state = stateOf(record);
  const marked =
    record.secretPaths && record.secretPaths.length > 0
      ? { ...state, secretPaths: record.secretPaths }
      : state;
  return `${head}${JSON.stringify(marked)}}\n`;
}

function stateOf(record: AnyRecord): object {
  switch (record.kind) {
    case "data":
      return { owners: record.owners, sources: record.sources.map(storedSource) };
    case "policy":
      return { recertificationRequired: record.recertificationRequired };
    case "project":
      return { deleteDataSourcesOnWorkspaceDelete: record.deleteDataSourcesOnWorkspaceDelete };
    case "purpose":
      return { reAcknowledgementRequired: record.reAcknowledgementRequired };
  }
}

function storedSource(s: SourceState): StoredSource {
  const out: StoredSource = { name: s.name };
  if (typeof s.target === "string") out.query = s.target;
  else [out.schema, out.table] = [s.target.schema, s.target.table];
  if (s.status === "disabled") out.status = "disabled";
  if (s.readyAt !== 0) out.readyAt = s.readyAt;
  if (s.tableTags.length > 0) out.tableTags = [...s.tableTags];
  if (s.columnTags.length > 0) out.columnTags = [...s.columnTags];
  return out;
}

/** The records of stored files; throws naming the first file that cannot be loaded. */
export function* loadRecords(
  files: Iterable<StoredFile>,
  catalog: CatalogIndex,
): Generator<AnyRecord> {
  for (const { path, text } of files) {
    let record: AnyRecord;
    try {
      record = decodeRecord(text, catalog);
    } catch (error) {
      throw new Error(`cannot load ${path}: ${(error as Error).message}`);
    }
    // A file copied or renamed by hand would be shadowed by the next write of its key.
    if (basename(path) !== fileNameOf(record.key) || basename(dirname(path)) !== record.kind) {
      throw new Error(
        `cannot load ${path}: it holds ${record.kind} ${JSON.stringify(record.key)}, which belongs in another file`,
      );
    }
    yield record;
  }
}

/** Throws an Error naming what is wrong; the caller adds the file name. */
function decodeRecord(text: string, catalog: CatalogIndex): AnyRecord {
  const file = JSON.parse(text) as Record<string, unknown>;
  const { kind, key, id, createdAt, updatedAt, payload, state } = file;
  if (
    !isKind(kind) ||
    typeof key !== "string" ||
    typeof id !== "number" ||
    typeof createdAt !== "string" ||
    typeof updatedAt !== "string" ||
    payload === null ||
    typeof payload !== "object" ||
    state === null ||
    typeof state !== "object"
  ) {
    throw new Error("not a stored object (kind, key, id, createdAt, updatedAt, payload, state)");
  }
  // The same text the POST stored (see RecordBase.payload).
  const json = kind === "data" ? JSON.stringify(payload) : canonicalJson(payload);
  const flags = state as Record<string, unknown>;
  const base = { key, id, createdAt, updatedAt, payload: json, ...marksOf(flags.secretPaths) };
  switch (kind) {
    case "data":
      return restoreConnection(base, payload as DataSourcePayload, flags, catalog);
    case "policy":
      return { kind, ...base, recertificationRequired: flags.recertificationRequired === true };
    case "project":
      return {
        kind,
        ...base,
        ...projectFields(payload as ProjectPayload),
        deleteDataSourcesOnWorkspaceDelete: flags.deleteDataSourcesOnWorkspaceDelete === true,
      };
    case "purpose":
      return {
        kind,
        ...base,
        names: walkPurpose(payload as PurposePayload).names,
        reAcknowledgementRequired: flags.reAcknowledgementRequired === true,
      };
  }
}

function marksOf(value: unknown): { secretPaths?: string[][] } {
  if (value === undefined) return {};
  if (
    !Array.isArray(value) ||
    !value.every((path) => Array.isArray(path) && path.every((s) => typeof s === "string"))
  ) {
    throw new Error("state.secretPaths is not a list of paths");
  }
  return { secretPaths: value as string[][] };
}

function restoreConnection(
  base: Pick<
    ConnectionRecord,
    "key" | "id" | "createdAt" | "updatedAt" | "payload" | "secretPaths"
  >,
  payload: DataSourcePayload,
  state: Record<string, unknown>,
  catalog: CatalogIndex,
): ConnectionRecord {
  const facts = connectionFacts(payload);
  const owners = (state.owners ?? []) as OwnerState[];
  const db = catalog.find(facts.hostname, facts.database);
  // Sources with equal tag lists share one list, as they did before the restart.
  const lists = new Map<string, readonly string[]>();
  const shared = (tags: string[] | undefined) => {
    if (!tags || tags.length === 0) return NO_TAGS;
    const id = JSON.stringify(tags);
    let list = lists.get(id);
    if (!list) lists.set(id, (list = tags));
    return list;
  };
  const sources = ((state.sources ?? []) as StoredSource[]).map((s): SourceState => {
    // A table the catalog no longer lists keeps its name, without columns.
    const target = s.query ??
      db?.table(s.schema ?? "", s.table ?? "") ?? {
        schema: s.schema ?? "",
        table: s.table ?? "",
        columns: [],
      };
    return {
      name: s.name,
      connectionKey: base.key,
      target,
      status: s.status === "disabled" ? "disabled" : "active",
      readyAt: s.readyAt ?? 0,
      tableTags: shared(s.tableTags),
      columnTags: s.columnTags && s.columnTags.length > 0 ? s.columnTags : NO_COLUMN_TAGS,
    };
  });
  return {
    kind: "data",
    ...base,
    identity: facts.identity,
    details: facts.details,
    settings: settingsOf(payload, owners),
    owners,
    sources,
  };
}
