/**
 * POST /api/v2/data: one connection's data sources, with full replacement. The payload is
 * compared with what is stored, source by source (by name), and the plan says which sources are
 * created, updated, deleted, disabled or left alone; a dry run answers the same plan unapplied.
 * Sources deleted or disabled leave the projects that name them (`cascade.ts`).
 */
import { createHash } from "node:crypto";
import type { Problem } from "../errors";
import { canonicalJson } from "../payload/canonical";
import type { DataResponse, DataSourcePayload, Owner } from "../payload/types";
import type { Caller } from "./auth";
import { leaveProjects, type RemovedFromProject } from "./cascade";
import {
  DEFAULT_HARD_DELETE,
  DUPLICATE_CONNECTION_MESSAGE,
  REENABLED_LIST,
  detectionRunning,
} from "./choices";
import { desiredSources, sourcePath, type DesiredSource } from "./desired-sources";
import { badRequest } from "./http-error";
import type { Context, Plan } from "./plan";
import type { Query } from "./query";
import {
  sourceStatus,
  type ColumnTagState,
  type ConnectionRecord,
  type OwnerState,
  type SourceState,
} from "./records";

/**
 * The facts of a connection that the server keys and compares on, letter case ignored (as the
 * catalog ignores it).
 */
export function connectionFacts(payload: DataSourcePayload) {
  const { handler, hostname, database, port } = payload.connection;
  const host = typeof hostname === "string" ? hostname : "";
  const db = typeof database === "string" ? database : "";
  const [h, n, d] = [handler.toLowerCase(), host.toLowerCase(), db.toLowerCase()];
  return {
    hostname: host,
    database: db,
    identity: JSON.stringify([h, n, d]),
    details: JSON.stringify([h, n, port ?? null, d]),
  };
}

/** A hash of what applies to every source: a change in it updates them all. */
export function settingsOf(payload: DataSourcePayload, owners: readonly OwnerState[]): string {
  const { hardDelete: _, tableTags: __, ...options } = payload.options ?? {};
  const text = canonicalJson({
    connection: payload.connection,
    nameTemplate: payload.nameTemplate,
    options,
    owners,
  });
  return createHash("sha1").update(text).digest("base64");
}

/** The owners after a POST: absent keeps them; a list replaces all but the caller. */
function ownersAfter(
  given: readonly Owner[] | undefined,
  previous: readonly OwnerState[] | undefined,
  caller: Caller,
): readonly OwnerState[] {
  if (given === undefined && previous) return previous;
  const owners = new Map<string, OwnerState>();
  for (const { type, name, iam } of given ?? []) {
    const id = `${type}\0${name as string}`;
    if (owners.has(id)) continue;
    owners.set(
      id,
      iam === undefined
        ? { type, name: name as string }
        : { type, name: name as string, iam: iam as string },
    );
  }
  if (!owners.has(`user\0${caller.user}`)) {
    return [{ type: "user", name: caller.user }, ...owners.values()];
  }
  return [...owners.values()];
}

function sameOwners(a: readonly OwnerState[], b: readonly OwnerState[]): boolean {
  return a.length === b.length && canonicalJson(a) === canonicalJson(b);
}

/** Tag lists as sets. Lists are short, so no Set is built for them. */
function sameTags(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  if (a.length > 16) {
    const set = new Set(a);
    return b.every((tag) => set.has(tag));
  }
  return b.every((tag) => a.includes(tag));
}

function sameColumnTags(a: readonly ColumnTagState[], b: readonly ColumnTagState[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return b.every((c) => {
    const before = a.find((o) => o.columnName === c.columnName);
    return before !== undefined && sameTags(before.tags, c.tags);
  });
}

function sameTarget(old: SourceState, wanted: DesiredSource): boolean {
  if (old.target === wanted.target) return true;
  // A table that no longer is in the catalog (restored after a catalog change) compares by name.
  return (
    typeof old.target !== "string" &&
    typeof wanted.target !== "string" &&
    old.target.schema === wanted.target.schema &&
    old.target.table === wanted.target.table
  );
}

export function planData(
  context: Context,
  payload: DataSourcePayload,
  query: Query,
): Plan<DataResponse, ConnectionRecord> {
  const { state, catalog, caller, now } = context;
  const key = payload.connectionKey;
  const facts = connectionFacts(payload);
  const db = catalog.find(facts.hostname, facts.database);
  if (!db) {
    throw badRequest([cannotConnect(payload, facts.hostname, facts.database, catalog.known())]);
  }
  const other = state.identities.get(facts.identity);
  if (other !== undefined && other !== key) {
    throw badRequest([
      {
        path: "connection",
        message: `${DUPLICATE_CONNECTION_MESSAGE} Connection key "${other}" already defines the data sources of ${payload.connection.handler} ${facts.hostname}/${facts.database}.`,
      },
    ]);
  }
  const desired = desiredSources(payload, db);
  const previous = state.connection(key);
  const recreate = previous !== undefined && previous.details !== facts.details;
  // One lookup per name serves twice: names are unique across the tenant, so a name held by
  // another connection is refused, and one held by this connection is the source to compare with.
  const before: (SourceState | undefined)[] = desired.sources.map((source) => {
    const taken = state.sources.get(source.name);
    if (taken === undefined) return undefined;
    if (taken.connectionKey !== key) {
      desired.problems.push({
        path: sourcePath(source),
        message: `the data source name "${source.name}" is taken by connection "${taken.connectionKey}" (set a nameTemplate or naming.datasource)`,
      });
      return undefined;
    }
    return recreate ? undefined : taken;
  });
  if (desired.problems.length > 0) throw badRequest(desired.problems);

  const owners = ownersAfter(payload.owners, previous?.owners, caller);
  const settings = settingsOf(payload, owners);
  const settingsChanged = previous !== undefined && !recreate && previous.settings !== settings;
  const hardDelete = payload.options?.hardDelete ?? DEFAULT_HARD_DELETE;
  const readyAt = context.creationDelayMs > 0 ? now + context.creationDelayMs : 0;

  const response = {
    dryRun: query.dryRun,
    creating: [] as string[],
    updating: [] as string[],
    deleting: [] as string[],
    noChange: [] as string[],
    disabling: [] as string[],
    detectionRunning: false,
    tagsUpdated: false,
  };
  const matched = new Set<SourceState>();
  let sourcesChanged = recreate;
  const sources: SourceState[] = [];
  desired.sources.forEach((wanted, i) => {
    const old = before[i];
    if (!old) {
      response.creating.push(wanted.name);
      if (wanted.tableTags.length > 0 || wanted.columnTags.length > 0) response.tagsUpdated = true;
      sources.push(newSource(wanted, key, readyAt));
      sourcesChanged = true;
      return;
    }
    matched.add(old);
    const tagsSame =
      sameTags(old.tableTags, wanted.tableTags) &&
      sameColumnTags(old.columnTags, wanted.columnTags);
    if (!tagsSame) response.tagsUpdated = true;
    if (old.status === "disabled") {
      response[REENABLED_LIST].push(wanted.name);
      sources.push(newSource(wanted, key, 0));
      sourcesChanged = true;
    } else if (!tagsSame || !sameTarget(old, wanted)) {
      response.updating.push(wanted.name);
      sources.push(newSource(wanted, key, old.readyAt));
      sourcesChanged = true;
    } else {
      (settingsChanged ? response.updating : response.noChange).push(wanted.name);
      sources.push(old);
    }
  });
  // What the payload no longer lists: every old source when the connection itself changed.
  for (const gone of previous?.sources ?? []) {
    if (matched.has(gone)) continue;
    if (recreate || hardDelete) {
      response.deleting.push(gone.name);
      sourcesChanged = true;
      continue;
    }
    // A disabled source is still a source of the connection: options.tableTags apply to it too.
    const tableTags = sameTags(gone.tableTags, desired.optionTags)
      ? gone.tableTags
      : desired.optionTags;
    if (tableTags !== gone.tableTags) response.tagsUpdated = true;
    if (gone.status === "active") response.disabling.push(gone.name);
    if (gone.status === "active" || tableTags !== gone.tableTags) {
      sources.push({ ...gone, status: "disabled", readyAt: 0, tableTags });
      sourcesChanged = true;
    } else {
      sources.push(gone);
    }
  }
  response.detectionRunning = detectionRunning(
    response.creating.length,
    payload.options?.disableSensitiveDataDiscovery,
  );
  // Sources deleted or disabled leave their projects. A source recreated under its own name (the
  // connection's details changed; only then is a deleted name listed again) stays in them:
  // projects name data sources by name.
  let leaving = [...response.deleting, ...response.disabling];
  if (recreate && leaving.length > 0) {
    const kept = new Set(response.creating);
    leaving = leaving.filter((name) => !kept.has(name));
  }
  const cascade = leaveProjects(state, leaving, now);
  const answer: DataResponse & { removedFromProjects?: RemovedFromProject[] } =
    cascade.removed.length > 0 ? { ...response, removedFromProjects: cascade.removed } : response;

  // Stored in the order sent, not canonical: the response compares source by source, and
  // canonicalising a 10,000-table payload on every POST would double its cost. Only a payload
  // whose text differs is compared canonically, so one merely reordered (an imported file, keys
  // sorted) changes nothing, updatedAt included.
  const payloadJson = JSON.stringify(payload);
  const changed =
    !previous ||
    sourcesChanged ||
    !samePayload(previous.payload, payloadJson) ||
    !sameOwners(previous.owners, owners);
  if (!changed) return { response: answer };
  const at = new Date(now).toISOString();
  return {
    response: answer,
    updates: cascade.records,
    record: {
      kind: "data",
      key,
      id: previous?.id ?? state.peekId("data"),
      createdAt: previous?.createdAt ?? at,
      updatedAt: at,
      payload: payloadJson,
      identity: facts.identity,
      details: facts.details,
      settings,
      owners,
      sources,
    },
  };
}

function newSource(wanted: DesiredSource, connectionKey: string, readyAt: number): SourceState {
  return {
    name: wanted.name,
    connectionKey,
    target: wanted.target,
    status: "active",
    readyAt,
    tableTags: wanted.tableTags,
    columnTags: wanted.columnTags,
  };
}

function cannotConnect(
  payload: DataSourcePayload,
  hostname: string,
  database: string,
  catalog: readonly string[],
): Problem {
  const known =
    catalog.length === 0
      ? "none"
      : catalog.length <= 10
        ? catalog.join(", ")
        : `${catalog.slice(0, 10).join(", ")}, ... ${catalog.length} in all`;
  if (hostname === "" || database === "") {
    return {
      path: hostname === "" ? "connection.hostname" : "connection.database",
      message: `cannot connect: the embedded server finds connections in its catalog by hostname and database (it knows ${known})`,
    };
  }
  return {
    path: "connection",
    message: `cannot connect to ${payload.connection.handler} at ${hostname}, database ${database}: the embedded server's catalog does not list it (it knows ${known})`,
  };
}

/** The sources of a connection still being created at a time. */
export function pendingSources(record: ConnectionRecord | undefined, at: number): string[] {
  if (!record) return [];
  return record.sources.filter((s) => sourceStatus(s, at) === "creating").map((s) => s.name);
}

/** The GET view of each data source. */
export function describeSources(record: ConnectionRecord, now: number) {
  return record.sources.map((s) => ({
    name: s.name,
    status: sourceStatus(s, now),
    ...(typeof s.target === "string"
      ? { query: s.target }
      : { schema: s.target.schema, table: s.target.table }),
    tableTags: s.tableTags,
    columnTags: s.columnTags,
  }));
}

function samePayload(stored: string, sent: string): boolean {
  return stored === sent || canonicalJson(JSON.parse(stored)) === canonicalJson(JSON.parse(sent));
}
