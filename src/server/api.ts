/**
 * The V2 API as a function of requests, without sockets: routing, auth, bodies, faults, the
 * handlers, the request log, and the one-at-a-time application of changes. A request is admitted
 * (route, method, key, permission, query, Content-Type) before its body is read, so that a stranger
 * costs the server no parse. Besides the V2 routes it routes our own `POST /api/v2/simulate` and
 * the compatibility routes of Immuta's Terraform provider (`compat/`), behind the same checks.
 * `http.ts` feeds it from `node:http`; tests (the fuzzer) can call `handle` directly.
 */
import { KINDS, isKind, payloadKey, type Kind } from "../payload/kinds";
import { normalizeAliases } from "../payload/aliases";
import { SECRET_PATHS_HEADER, parseSecretPaths, type SecretPath } from "../payload/secrets";
import type { PayloadByKind } from "../payload/types";
import { findProblems } from "../payload/validate";
import { Keys, requirePermission, type Caller } from "./auth";
import { bodyFormat, parseBody, type BodyFormat } from "./body";
import { CatalogIndex, checkCatalog } from "./catalog";
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_YAML_BODY_BYTES,
  DEFAULT_REQUEST_LOG_LIMIT,
  LARGE_BODY_BYTES,
  PERMISSION_FOR_KIND,
} from "./choices";
import { admitCompat, admitSimulate } from "./admit-own";
import {
  COMPAT_PATTERNS,
  TagRegistry,
  answerCompat,
  matchCompat,
  type CompatQuery,
  type CompatRoute,
  type CompatServices,
} from "./compat";
import { pendingSources, planData } from "./data-sources";
import { DEFAULT_CATALOG } from "./default-catalog";
import { Faults } from "./faults";
import { HttpError, badRequest, errorBody } from "./http-error";
import { planDelete, readObject } from "./objects";
import { checkPayload } from "./payload-check";
import { FileStore, TAG_FOLDER, type Change, type StoredFile } from "./persist";
import type { Context, Plan } from "./plan";
import { planPolicy } from "./policies";
import { planProject } from "./projects";
import { planPurpose } from "./purposes";
import { renameKeyOwners } from "./key-owners";
import { NO_QUERY, parseQuery, queryPairs, type ParamType, type Query } from "./query";
import { encodeRecord, loadRecords } from "./record-file";
import type { AnyRecord, ConnectionRecord } from "./records";
import { SIMULATE_PATH, answerSimulate } from "./simulate";
import { RequestLog, type LogEntry } from "./request-log";
import { sameMarks, secretMarks } from "./secret-marks";
import { State } from "./state";
import { storageError } from "./storage-error";
import type { RequestLogEntry, ServerOptions } from "./types";

/** The headers a request is admitted by, before its body is read. */
export interface RequestHead {
  readonly authorization?: string;
  readonly contentType?: string;
  /** The `x-immuta-secret-paths` header (see `SECRET_PATHS_HEADER`). */
  readonly secretPaths?: string;
}

export interface ApiRequest extends RequestHead {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  /** Undefined when the body was larger than the limit (and was not kept). */
  readonly body: Uint8Array | undefined;
}

export type ApiAnswer =
  | {
      readonly status: number;
      readonly body: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | { readonly drop: true };

/** A request that has arrived (and is logged) but not been answered yet. */
export interface Exchange {
  readonly entry: LogEntry;
  readonly method: string;
  readonly route: Route | undefined;
  readonly search: string;
}

export interface Route {
  /** A V2 kind, our simulate route, or a compatibility route (`compat/routes.ts`). */
  readonly kind: Kind | "simulate" | "compat";
  /** Undefined for the collection (`/api/v2/policy`). */
  readonly key: string | undefined;
  /** The compatibility route, for kind `compat`. */
  readonly compat?: CompatRoute;
}

/** A request let in: who calls, what for, and how large its body may be. */
export interface Admission {
  readonly caller: Caller;
  readonly route: Route;
  readonly query: Query;
  /** A compatibility route's query parameters. */
  readonly compatQuery?: CompatQuery;
  /** How a POST's body is read; undefined for GET and DELETE. */
  readonly format: BodyFormat | undefined;
  /** Larger bodies are answered 413 unread. */
  readonly maxBodyBytes: number;
  readonly secretPaths: readonly SecretPath[];
}

const ACCEPTED: Record<Kind, Readonly<Partial<Record<keyof Query, ParamType>>>> = {
  data: { dryRun: "boolean", wait: "number" },
  policy: { dryRun: "boolean", reCertify: "boolean" },
  project: { dryRun: "boolean", deleteDataSourcesOnWorkspaceDelete: "boolean" },
  purpose: { dryRun: "boolean", reAcknowledgeRequired: "boolean" },
};

const ROUTE = /^\/api\/v2\/([^/]+)(?:\/(.*))?$/;
const DROP = { drop: true } as const;

export type ApiOptions = Pick<
  ServerOptions,
  | "dataDir"
  | "apiKeys"
  | "catalog"
  | "faults"
  | "creationDelayMs"
  | "requestLogLimit"
  | "maxBodyBytes"
  | "maxYamlBodyBytes"
>;

export class Api {
  private readonly state = new State();
  /** The tags of the compatibility routes (`POST /tag`). */
  private readonly tags = new TagRegistry();
  private readonly catalog: CatalogIndex;
  private readonly keys: Keys;
  private readonly faults: Faults;
  private readonly files: FileStore | undefined;
  private readonly creationDelayMs: number;
  private readonly maxBodyBytes: number;
  private readonly maxYamlBodyBytes: number;
  private readonly log: RequestLog;
  /** Changes are applied one at a time, in arrival order: concurrent POSTs never interleave. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Large bodies are parsed one at a time, each in its own turn of the event loop. */
  private parsing: Promise<void> = Promise.resolve();
  /** Pending waits (fault delays, `wait`), ended early by `close`. */
  private readonly sleepers = new Set<() => void>();
  private closing = false;

  /** Loads the data directory, if any; throws naming a file that cannot be loaded. */
  constructor(options: ApiOptions = {}) {
    this.catalog = new CatalogIndex(checkCatalog(options.catalog ?? DEFAULT_CATALOG, "catalog"));
    this.keys = new Keys(options.apiKeys);
    this.faults = new Faults(options.faults);
    this.creationDelayMs = options.creationDelayMs ?? 0;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.maxYamlBodyBytes = Math.min(
      options.maxYamlBodyBytes ?? DEFAULT_MAX_YAML_BODY_BYTES,
      this.maxBodyBytes,
    );
    this.log = new RequestLog(options.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT);
    // Compile every validator now rather than on a first request.
    for (const kind of KINDS) findProblems(kind, {});
    if (options.dataDir !== undefined) {
      this.files = new FileStore(options.dataDir);
      const renamed: AnyRecord[] = [];
      const tags = this.tags;
      function* objects(files: Iterable<StoredFile>): Generator<StoredFile> {
        for (const file of files) {
          if (file.folder === TAG_FOLDER) tags.load(file);
          else yield file;
        }
      }
      try {
        for (const loaded of loadRecords(objects(this.files.open()), this.catalog)) {
          const record = loaded.kind === "data" ? renameKeyOwners(loaded, this.keys) : loaded;
          if (record !== loaded) renamed.push(record);
          this.state.put(record);
        }
      } catch (error) {
        this.files.close();
        throw error;
      }
      // Rewritten before any request is applied: no key stays on disk as an owner's name.
      for (const record of renamed) {
        this.serially(() => this.files!.write(record.kind, record.key, encodeRecord(record))).catch(
          (error: unknown) =>
            process.emitWarning(
              `immuta-v2 server: could not rewrite ${record.kind} ${JSON.stringify(record.key)} ` +
                `without its key-named owner: ${(error as Error).message}`,
            ),
        );
      }
    }
  }

  /** Answers one request (`receive`, `admit` and `answer` in one step). */
  handle(request: ApiRequest): Promise<ApiAnswer> {
    const exchange = this.receive(request.method, request.url);
    const admitted = this.admit(exchange, request);
    if (!("caller" in admitted)) return Promise.resolve(admitted);
    const body =
      request.body !== undefined && request.body.length > admitted.maxBodyBytes
        ? undefined
        : request.body;
    return this.answer(exchange, admitted, body);
  }

  /** Logs a request as it arrives, before its body is read. */
  receive(method: string, url: string): Exchange {
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const search = q < 0 ? "" : url.slice(q + 1);
    const entry = this.log.start(method, path, search);
    let route: Route | undefined;
    const match = ROUTE.exec(path);
    const compat = match ? undefined : matchCompat(path);
    if (path === SIMULATE_PATH) route = { kind: "simulate", key: undefined };
    else if (compat) route = { kind: "compat", key: undefined, compat };
    else if (match && isKind(match[1])) {
      entry.kind = match[1];
      let key: string | undefined;
      // `/api/v2/data/` names the object with the empty key, which no payload can create: GET and
      // DELETE answer 404 (Immuta's provider probes that path when it imports a connection).
      if (match[2] !== undefined) {
        try {
          key = decodeURIComponent(match[2]);
          entry.key = key;
        } catch {
          key = undefined;
        }
        route = key === undefined ? undefined : { kind: match[1], key };
      } else route = { kind: match[1], key: undefined };
    }
    return { entry, method, route, search };
  }

  /**
   * Lets a request in, or answers it, from its line and headers alone: route, method, key,
   * permission, query and Content-Type are checked before a byte of its body is read.
   */
  admit(exchange: Exchange, head: RequestHead): Admission | ApiAnswer {
    try {
      return this.admission(exchange, head);
    } catch (error) {
      const answer = failure(error);
      exchange.entry.status = "drop" in answer ? 0 : answer.status;
      return answer;
    }
  }

  /** Answers an admitted request; `body` is undefined when it exceeded the admission's limit. */
  async answer(
    exchange: Exchange,
    admission: Admission,
    body: Uint8Array | undefined,
  ): Promise<ApiAnswer> {
    let answer: ApiAnswer;
    try {
      answer = await this.dispatch(exchange, admission, body);
    } catch (error) {
      answer = failure(error);
    }
    exchange.entry.status = "drop" in answer ? 0 : answer.status;
    return answer;
  }

  requests(): RequestLogEntry[] {
    return this.log.list();
  }

  /** Ends pending waits and lets the change in progress finish (durably) before returning. */
  async close(): Promise<void> {
    this.closing = true;
    for (const wake of this.sleepers) wake();
    await this.tail;
    this.files?.close();
  }

  private admission(exchange: Exchange, head: RequestHead): Admission {
    const { method, route, entry } = exchange;
    if (this.closing) throw new HttpError(503, "The server is shutting down");
    if (!route) {
      throw new HttpError(
        entry.kind && entry.key === undefined ? 400 : 404,
        entry.kind
          ? `Malformed key in ${entry.path}: not valid URL encoding`
          : `No such endpoint: ${method} ${entry.path} (the V2 API serves /api/v2/data, ` +
              `/api/v2/policy, /api/v2/project and /api/v2/purpose; the embedded server also serves ` +
              `/api/v2/simulate [ours] and, for Immuta's Terraform provider, the compatibility ` +
              `routes ${COMPAT_PATTERNS.join(", ")})`,
      );
    }
    const gate = {
      keys: this.keys,
      maxBodyBytes: this.maxBodyBytes,
      maxYamlBodyBytes: this.maxYamlBodyBytes,
    };
    if (route.kind === "simulate") return admitSimulate(exchange, head, gate);
    if (route.kind === "compat") return admitCompat(exchange, head, route.compat!, gate);
    const allowed = route.key === undefined ? ["GET", "POST"] : ["DELETE", "GET"];
    if (!allowed.includes(method)) {
      throw new HttpError(405, `${method} is not supported on ${entry.path}`, {
        allow: allowed.join(", "),
      });
    }
    const kind = route.kind as Kind;
    const caller = this.keys.authenticate(head.authorization);
    const endpoint = `${method} /api/v2/${kind}`;
    requirePermission(caller, PERMISSION_FOR_KIND[kind], endpoint);
    const accepted =
      method === "GET" ? {} : method === "DELETE" ? { dryRun: "boolean" as const } : ACCEPTED[kind];
    const query = parseQuery(queryPairs(exchange.search), accepted, endpoint);
    if (method !== "POST") {
      return {
        caller,
        route,
        query,
        format: undefined,
        maxBodyBytes: this.maxBodyBytes,
        secretPaths: [],
      };
    }
    const format = bodyFormat(head.contentType);
    const secretPaths = head.secretPaths === undefined ? [] : parseSecretPaths(head.secretPaths);
    if (secretPaths === undefined) {
      throw new HttpError(
        400,
        `${SECRET_PATHS_HEADER}: not a comma-separated list of JSON Pointers (/connection/password)`,
      );
    }
    const maxBodyBytes = format === "yaml" ? this.maxYamlBodyBytes : this.maxBodyBytes;
    return { caller, route, query, format, maxBodyBytes, secretPaths };
  }

  private async dispatch(
    exchange: Exchange,
    admission: Admission,
    body: Uint8Array | undefined,
  ): Promise<ApiAnswer> {
    const { method, entry } = exchange;
    const { caller, query, route } = admission;
    if (body === undefined) {
      throw new HttpError(
        413,
        `The request body is larger than ${admission.maxBodyBytes} bytes` +
          (admission.format === "yaml" && admission.maxBodyBytes < this.maxBodyBytes
            ? ` (the limit for YAML; send large payloads as JSON, up to ${this.maxBodyBytes} bytes)`
            : ""),
      );
    }
    // Our own routes and the compatibility routes; faults are injected into the V2 API only.
    if (route.kind === "simulate") {
      if (body.length > LARGE_BODY_BYTES) await this.parseTurn();
      const request = parseBody(admission.format!, body, this.maxBodyBytes);
      return json(200, answerSimulate(this.state, request));
    }
    if (route.kind === "compat") return this.answerCompat(method, route.compat!, admission, body);
    const kind = route.kind;
    const key = route.key;

    // The body is read before faults are matched, because a POST's key is in its body.
    let payload: unknown;
    let bodyError: unknown;
    if (method === "POST") {
      if (body.length > LARGE_BODY_BYTES) await this.parseTurn();
      try {
        payload = parseBody(admission.format!, body, this.maxBodyBytes);
        entry.key = payloadKey(kind, payload);
      } catch (error) {
        bodyError = error;
      }
    }
    const fault = this.faults.take(method, kind, entry.key);
    if (fault) {
      if (fault.delayMs > 0) await this.sleep(fault.delayMs);
      if (fault.drop || this.closing) return DROP;
      if (fault.status !== undefined) {
        return json(fault.status, errorBody(fault.status, `Injected fault (${fault.described})`));
      }
    }

    if (method === "GET") {
      if (key === undefined) return json(200, this.state.keys(kind));
      return json(200, readObject(this.state, kind, key, Date.now()));
    }
    if (method === "DELETE") return json(200, (await this.delete(kind, key!, query)).response);

    if (bodyError !== undefined) throw bodyError;
    const problems = checkPayload(kind, payload);
    if (problems.length > 0) throw badRequest(problems);
    const normalized = normalizeAliases(kind, payload as PayloadByKind[Kind]);
    const { response, stored } = await this.serially(async () => {
      const context: Context = {
        state: this.state,
        catalog: this.catalog,
        caller,
        now: Date.now(),
        creationDelayMs: this.creationDelayMs,
      };
      const plan = planFor(kind, context, normalized, query);
      const previous = this.state.get(kind, payloadKey(kind, normalized)!);
      const record = this.withMarks(plan.record, previous, normalized, admission.secretPaths);
      if (record && !query.dryRun) {
        const size = Buffer.byteLength(record.payload);
        if (size > this.maxBodyBytes) {
          throw new HttpError(
            413,
            `The payload would be stored as ${size} bytes; the server stores at most ` +
              `${this.maxBodyBytes} per object`,
          );
        }
        // With the projects its removed data sources leave, as one commit.
        const updates = plan.updates ?? [];
        if (this.files) await this.files.commit([record, ...updates].map(changeOf));
        this.state.put(record);
        for (const project of updates) this.state.put(project);
      }
      return { response: plan.response, stored: record ?? previous };
    });
    if (kind !== "data") return json(200, response);
    const pending = await this.pending(stored as ConnectionRecord | undefined, query);
    return json(200, pending.length > 0 ? { ...response, pending } : response);
  }

  /**
   * Deletes an object (or, for a dry run, answers what deleting it would do), in its turn: with the
   * projects its data sources leave, as one commit. Answers the plan and the deleted record.
   */
  private delete(kind: Kind, key: string, query: Query) {
    return this.serially(async () => {
      const plan = planDelete(this.state, kind, key, query, Date.now());
      const record = this.state.get(kind, key)!;
      if (!query.dryRun) {
        const removal: Change = { folder: kind, key: plan.key, text: undefined };
        if (this.files) await this.files.commit([removal, ...plan.updates.map(changeOf)]);
        this.state.remove(kind, plan.key);
        for (const project of plan.updates) this.state.put(project);
      }
      return { response: plan.response, record };
    });
  }

  /** Answers an admitted request to a compatibility route (`compat/`). */
  private async answerCompat(
    method: string,
    compat: CompatRoute,
    admission: Admission,
    body: Uint8Array,
  ): Promise<ApiAnswer> {
    let parsed: unknown;
    if (admission.format !== undefined && body.length > 0) {
      if (body.length > LARGE_BODY_BYTES) await this.parseTurn();
      parsed = parseBody(admission.format, body, this.maxBodyBytes);
    }
    const services: CompatServices = {
      state: this.state,
      tags: this.tags,
      inTurn: (work) => this.serially(work),
      commit: async (changes) => {
        if (this.files) await this.files.commit(changes);
      },
      deleteObject: async (kind, key) => (await this.delete(kind, key, NO_QUERY)).record,
    };
    const answer = await answerCompat(services, {
      endpoint: compat.methods[method]!,
      params: compat.params,
      query: admission.compatQuery ?? {},
      body: parsed,
      now: Date.now(),
    });
    return json(200, answer);
  }

  /**
   * The record to store with its secret marks: the plan's new record, or, when only the marks
   * changed, the stored one with new marks; undefined when nothing changes.
   */
  private withMarks(
    planned: AnyRecord | undefined,
    previous: AnyRecord | undefined,
    payload: unknown,
    sent: readonly SecretPath[],
  ): AnyRecord | undefined {
    const marks = secretMarks(payload, sent, previous);
    if (planned) return marks.length > 0 ? { ...planned, secretPaths: marks } : planned;
    if (!previous || sameMarks(previous.secretPaths, marks)) return undefined;
    return { ...previous, secretPaths: marks };
  }

  /**
   * Sources of a connection still not ready once `wait` has run out. A dry run waits for nothing
   * but answers what the real call would: what would still be creating by then.
   */
  private async pending(record: ConnectionRecord | undefined, query: Query): Promise<string[]> {
    const start = Date.now();
    const deadline = query.wait < 0 ? Infinity : start + query.wait * 1000;
    if (query.dryRun) return pendingSources(record, Math.min(deadline, Number.MAX_SAFE_INTEGER));
    for (;;) {
      const now = Date.now();
      const pending = pendingSources(record, now);
      if (pending.length === 0 || now >= deadline || this.closing) return pending;
      let ready = now;
      for (const source of record!.sources) ready = Math.max(ready, source.readyAt);
      // +1: timers may fire a little before Date.now() reaches the target.
      await this.sleep(Math.min(ready, deadline) - now + 1);
    }
  }

  /**
   * Waits for this request's turn to parse a large body (see `LARGE_BODY_BYTES`): after the large
   * bodies before it, and after one pass of the event loop, so that the requests that came in
   * meanwhile are seen to between two parses.
   */
  private parseTurn(): Promise<void> {
    const turn = this.parsing.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    // The next parse waits for this one's turn and for the parse itself, which runs right after.
    this.parsing = turn.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    return turn;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    // Not `result.catch(...)`, which would pass the result through and keep it alive.
    const settled = () => undefined;
    this.tail = result.then(settled, settled);
    return result;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.min(ms, 2 ** 31 - 1));
      this.sleepers.add(wake);
    });
  }
}

function planFor(
  kind: Kind,
  context: Context,
  payload: PayloadByKind[Kind],
  query: Query,
): Plan<object, AnyRecord> {
  switch (kind) {
    case "data":
      return planData(context, payload as PayloadByKind["data"], query);
    case "policy":
      return planPolicy(context, payload as PayloadByKind["policy"], query);
    case "project":
      return planProject(context, payload as PayloadByKind["project"], query);
    case "purpose":
      return planPurpose(context, payload as PayloadByKind["purpose"], query);
  }
}

/** A record's file text, for a commit. */
function changeOf(record: AnyRecord): Change {
  return { folder: record.kind, key: record.key, text: encodeRecord(record) };
}

function json(status: number, value: unknown, headers?: Record<string, string>): ApiAnswer {
  return { status, body: JSON.stringify(value), headers };
}

function failure(error: unknown): ApiAnswer {
  if (error instanceof HttpError) {
    return json(error.status, errorBody(error.status, error.message), error.headers);
  }
  // The disk failing, or a bug: the details (paths included) for whoever reads the server's log,
  // an honest status without them for the client.
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`immuta-v2 server: ${error instanceof Error ? error.stack : message}`);
  const storage = storageError(error);
  if (storage) return json(storage.status, errorBody(storage.status, storage.message));
  return json(500, errorBody(500, "Internal error; the server's log has the details"));
}
