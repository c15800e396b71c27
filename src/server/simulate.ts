/**
 * POST /api/v2/simulate [ours; Immuta has no such endpoint]: who can see what, for a user the
 * request describes, on what the server holds now. The answer is the access simulator's report
 * (`src/access`), the same JSON `immuta-v2 access --json` prints for a synthesized stack, so that
 * one client reads both.
 *
 * A pure function of the server's state and the request body. The tenant is read from the
 * server's records, not re-derived from payloads: data sources as they exist (names, table and
 * column tags, columns from the catalog table each one was created from, disabled ones left out,
 * sources still `creating` included), owners as stored (the caller who created a connection
 * among them), and the policies, projects and purposes as last POSTed.
 */
import { ValidationError, type Problem } from "../errors";
import { compileTenant, simulateAccess } from "../access/simulate";
import type { AccessReport, SimulateOptions, SimulatedUser, TenantInput } from "../access/types";
import type {
  DataSourcePayload,
  PolicyPayload,
  ProjectPayload,
  PurposePayload,
  Source,
} from "../payload/types";
import { connectionFacts } from "./data-sources";
import { badRequest } from "./http-error";
import type { ConnectionRecord } from "./records";
import type { State } from "./state";
import type { Permission } from "./types";
import { isObject, unknownFields } from "./request-shape";

/** The route, under the V2 prefix though it is ours, so that one base URL serves both. */
export const SIMULATE_PATH = "/api/v2/simulate";

/**
 * The permission a caller needs [ours]: the answer discloses every global policy's logic and every
 * data source's columns and tags, which Immuta shows to governors.
 */
export const SIMULATE_PERMISSION: Permission = "GOVERNANCE";

/** The request body. */
export interface SimulateRequest {
  /** The user: `groups`, `attributes`, `purposes`, `project` (see `SimulatedUser`). */
  readonly user: SimulatedUser;
  /** Only these data sources (by name). @default all */
  readonly dataSources?: readonly string[];
  /** `full` adds the policies that do not apply and the rules that do not target each column. */
  readonly detail?: "summary" | "full";
  /** Count approval and manual subscriptions as granted. @default false */
  readonly assumeApproved?: boolean;
}

const REQUEST_FIELDS = ["user", "dataSources", "detail", "assumeApproved"];
const USER_FIELDS = ["groups", "attributes", "purposes", "project"];

/** The answer to a POST /api/v2/simulate; throws a 400 `HttpError` for a bad body. */
export function answerSimulate(state: State, body: unknown): AccessReport {
  const request = readRequest(body);
  const tenant = compileTenant(tenantOf(state));
  const options: SimulateOptions = {
    ...(request.detail ? { detail: request.detail } : {}),
    ...(request.dataSources ? { dataSources: request.dataSources } : {}),
    ...(request.assumeApproved !== undefined ? { assumeApproved: request.assumeApproved } : {}),
  };
  try {
    return simulateAccess(tenant, request.user, options);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // The unknown project or data source the request names.
    throw badRequest(
      error.problems.map((p) => ({
        path: p.path.startsWith("dataSources") ? p.path : `user.${p.path}`,
        message: p.message,
      })),
    );
  }
}

/** What the server holds, as the simulator's input. */
export function tenantOf(state: State): TenantInput {
  const dataSources: DataSourcePayload[] = [];
  const catalog = new Map<string, CatalogEntry>();
  for (const key of state.keys("data")) {
    const record = state.connection(key)!;
    dataSources.push(connectionPayload(record, catalog));
  }
  const stored = <T>(kind: "policy" | "project" | "purpose") =>
    state.keys(kind).map((key) => JSON.parse(state.get(kind, key)!.payload) as T);
  return {
    dataSources,
    policies: stored<PolicyPayload>("policy"),
    projects: stored<ProjectPayload>("project"),
    purposes: stored<PurposePayload>("purpose"),
    catalog: { connections: [...catalog.values()] },
  };
}

type CatalogEntry = {
  hostname: string;
  database: string;
  schemas: Record<string, Record<string, readonly string[]>>;
};

/**
 * A connection as the data sources it has now: each named explicitly with its stored tags, its
 * table added to the catalog the simulator reads columns from.
 */
function connectionPayload(
  record: ConnectionRecord,
  catalog: Map<string, CatalogEntry>,
): DataSourcePayload {
  const stored = JSON.parse(record.payload) as DataSourcePayload;
  const { hostname, database } = connectionFacts(stored);
  const id = `${hostname.toLowerCase()}\0${database.toLowerCase()}`;
  let entry = catalog.get(id);
  if (!entry) catalog.set(id, (entry = { hostname, database, schemas: {} }));
  const sources: Source[] = [];
  for (const source of record.sources) {
    if (source.status === "disabled") continue;
    const naming = { datasource: source.name };
    if (typeof source.target === "string") {
      sources.push({ query: source.target, naming });
      continue;
    }
    const { schema, table, columns } = source.target;
    (entry.schemas[schema] ??= {})[table] = columns;
    sources.push({
      schema,
      table,
      naming,
      tags: {
        table: [...source.tableTags],
        columns: source.columnTags.map((c) => ({ columnName: c.columnName, tags: [...c.tags] })),
      },
    });
  }
  return {
    connectionKey: record.key,
    connection: stored.connection,
    owners: record.owners.map((o) => ({ type: o.type, name: o.name })),
    sources,
  };
}

/** The body checked field by field, every problem at once (as payloads are). */
function readRequest(body: unknown): SimulateRequest {
  const problems: Problem[] = [];
  if (!isObject(body)) {
    throw badRequest([{ path: "", message: 'must be an object: { "user": { "groups": [...] } }' }]);
  }
  unknownFields(body, REQUEST_FIELDS, "", problems);
  if (body.user === undefined) problems.push({ path: "user", message: "required" });
  else if (!isObject(body.user)) problems.push({ path: "user", message: "must be an object" });
  else {
    const user = body.user;
    unknownFields(user, USER_FIELDS, "user.", problems);
    stringList(user.groups, "user.groups", problems);
    stringList(user.purposes, "user.purposes", problems);
    if (user.project !== undefined && typeof user.project !== "string") {
      problems.push({ path: "user.project", message: "must be a projectKey or project name" });
    }
    attributes(user.attributes, problems);
  }
  stringList(body.dataSources, "dataSources", problems);
  if (body.detail !== undefined && body.detail !== "summary" && body.detail !== "full") {
    problems.push({ path: "detail", message: `must be "summary" or "full"` });
  }
  if (body.assumeApproved !== undefined && typeof body.assumeApproved !== "boolean") {
    problems.push({ path: "assumeApproved", message: "must be true or false" });
  }
  if (problems.length > 0) throw badRequest(problems);
  return body as unknown as SimulateRequest;
}

function attributes(value: unknown, problems: Problem[]): void {
  const at = "user.attributes";
  if (value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (!isObject(item) || typeof item.name !== "string" || typeof item.value !== "string") {
        problems.push({ path: `${at}[${i}]`, message: "must be { name, value } with strings" });
      }
    });
    return;
  }
  if (!isObject(value)) {
    problems.push({
      path: at,
      message: "must map attribute names to a value or a list of values, or be [{ name, value }]",
    });
    return;
  }
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== "string") stringList(v, `${at}.${name}`, problems, "a value or a list");
  }
}

function stringList(value: unknown, path: string, problems: Problem[], what = "a list"): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    problems.push({ path, message: `must be ${what} of strings` });
    return;
  }
  value.forEach((item, i) => {
    if (typeof item !== "string")
      problems.push({ path: `${path}[${i}]`, message: "must be a string" });
  });
}
