/**
 * The V2 API as a function of requests, without sockets: routing, faults, auth, bodies, the
 * handlers, the request log, and the one-at-a-time application of changes. `http.ts` feeds it
 * from `node:http`; tests (the fuzzer) can call `handle` directly.
 */
import { KINDS, isKind, payloadKey, type Kind } from "../payload/kinds";
import { normalizeAliases } from "../payload/aliases";
import type { PayloadByKind } from "../payload/types";
import { findProblems } from "../payload/validate";
import { Keys, requirePermission } from "./auth";
import { bodyFormat, parseBody } from "./body";
import { CatalogIndex, checkCatalog } from "./catalog";
import { DEFAULT_REQUEST_LOG_LIMIT, PERMISSION_FOR_KIND } from "./choices";
import { pendingSources, planData } from "./data-sources";
import { DEFAULT_CATALOG } from "./default-catalog";
import { Faults } from "./faults";
import { HttpError, badRequest, errorBody } from "./http-error";
import { planDelete, readObject } from "./objects";
import { checkPayload } from "./payload-check";
import { FileStore } from "./persist";
import type { Context, Plan } from "./plan";
import { planPolicy } from "./policies";
import { planProject } from "./projects";
import { planPurpose } from "./purposes";
import { parseQuery, queryPairs, type ParamType, type Query } from "./query";
import { encodeRecord, loadRecords } from "./record-file";
import type { AnyRecord, ConnectionRecord } from "./records";
import { RequestLog, type LogEntry } from "./request-log";
import { State } from "./state";
import type { RequestLogEntry, ServerOptions } from "./types";

export interface ApiRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly authorization?: string;
  readonly contentType?: string;
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

interface Route {
  readonly kind: Kind;
  /** Undefined for the collection (`/api/v2/policy`). */
  readonly key: string | undefined;
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
  "dataDir" | "apiKeys" | "catalog" | "faults" | "creationDelayMs" | "requestLogLimit"
>;

export class Api {
  private readonly state = new State();
  private readonly catalog: CatalogIndex;
  private readonly keys: Keys;
  private readonly faults: Faults;
  private readonly files: FileStore | undefined;
  private readonly creationDelayMs: number;
  private readonly log: RequestLog;
  /** Changes are applied one at a time, in arrival order: concurrent POSTs never interleave. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Pending waits (fault delays, `wait`), ended early by `close`. */
  private readonly sleepers = new Set<() => void>();
  private closing = false;

  /** Loads the data directory, if any; throws naming a file that cannot be loaded. */
  constructor(options: ApiOptions = {}) {
    this.catalog = new CatalogIndex(checkCatalog(options.catalog ?? DEFAULT_CATALOG, "catalog"));
    this.keys = new Keys(options.apiKeys);
    this.faults = new Faults(options.faults);
    this.creationDelayMs = options.creationDelayMs ?? 0;
    this.log = new RequestLog(options.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT);
    // Compile every validator now rather than on a first request.
    for (const kind of KINDS) findProblems(kind, {});
    if (options.dataDir !== undefined) {
      this.files = new FileStore(options.dataDir);
      try {
        for (const record of loadRecords(this.files.open(), this.catalog)) this.state.put(record);
      } catch (error) {
        this.files.close();
        throw error;
      }
    }
  }

  /** Answers one request (`receive` and `answer` in one step). */
  handle(request: ApiRequest): Promise<ApiAnswer> {
    return this.answer(this.receive(request.method, request.url), request);
  }

  /** Logs a request as it arrives, before its body is read. */
  receive(method: string, url: string): Exchange {
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const search = q < 0 ? "" : url.slice(q + 1);
    const entry = this.log.start(method, path, search);
    let route: Route | undefined;
    const match = ROUTE.exec(path);
    if (match && isKind(match[1])) {
      entry.kind = match[1];
      let key: string | undefined;
      if (match[2] !== undefined && match[2] !== "") {
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

  async answer(exchange: Exchange, request: ApiRequest): Promise<ApiAnswer> {
    let answer: ApiAnswer;
    try {
      answer = await this.dispatch(exchange, request);
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

  private async dispatch(exchange: Exchange, request: ApiRequest): Promise<ApiAnswer> {
    const { method, route, entry } = exchange;
    if (this.closing) throw new HttpError(503, "The server is shutting down");
    if (!route) {
      throw new HttpError(
        entry.kind && entry.key === undefined ? 400 : 404,
        entry.kind
          ? `Malformed key in ${entry.path}: not valid URL encoding`
          : `No such endpoint: ${method} ${entry.path} (the V2 API serves /api/v2/data, /api/v2/policy, /api/v2/project and /api/v2/purpose)`,
      );
    }
    if (request.body === undefined) throw new HttpError(413, "The request body is too large");
    const allowed = route.key === undefined ? ["GET", "POST"] : ["DELETE", "GET"];
    if (!allowed.includes(method)) {
      throw new HttpError(405, `${method} is not supported on ${entry.path}`, {
        allow: allowed.join(", "),
      });
    }

    // The body is read before faults are matched, because a POST's key is in its body.
    let payload: unknown;
    let bodyError: unknown;
    if (method === "POST") {
      try {
        payload = parseBody(bodyFormat(request.contentType), request.body);
        entry.key = payloadKey(route.kind, payload);
      } catch (error) {
        bodyError = error;
      }
    }
    const fault = this.faults.take(method, route.kind, entry.key);
    if (fault) {
      if (fault.delayMs > 0) await this.sleep(fault.delayMs);
      if (fault.drop || this.closing) return DROP;
      if (fault.status !== undefined) {
        return json(fault.status, errorBody(fault.status, `Injected fault (${fault.described})`));
      }
    }

    const caller = this.keys.authenticate(request.authorization);
    const endpoint = `${method} /api/v2/${route.kind}`;
    requirePermission(caller, PERMISSION_FOR_KIND[route.kind], endpoint);
    const { kind, key } = route;

    if (method === "GET") {
      parseQuery(queryPairs(exchange.search), {}, endpoint);
      if (key === undefined) return json(200, this.state.keys(kind));
      return json(200, readObject(this.state, kind, key, Date.now()));
    }
    if (method === "DELETE") {
      const query = parseQuery(queryPairs(exchange.search), { dryRun: "boolean" }, endpoint);
      const response = await this.serially(async () => {
        const plan = planDelete(this.state, kind, key!, query);
        if (!query.dryRun) {
          if (this.files) await this.files.remove(kind, plan.key);
          this.state.remove(kind, plan.key);
        }
        return plan.response;
      });
      return json(200, response);
    }

    const query = parseQuery(queryPairs(exchange.search), ACCEPTED[kind], endpoint);
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
      const current = plan.record ?? this.state.get(kind, payloadKey(kind, normalized)!);
      if (plan.record && !query.dryRun) {
        if (this.files) await this.files.write(kind, plan.record.key, encodeRecord(plan.record));
        this.state.put(plan.record);
      }
      return { response: plan.response, stored: current };
    });
    if (kind !== "data") return json(200, response);
    const pending = await this.pending(stored as ConnectionRecord | undefined, query);
    return json(200, pending.length > 0 ? { ...response, pending } : response);
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

function json(status: number, value: unknown, headers?: Record<string, string>): ApiAnswer {
  return { status, body: JSON.stringify(value), headers };
}

function failure(error: unknown): ApiAnswer {
  if (error instanceof HttpError) {
    return json(error.status, errorBody(error.status, error.message), error.headers);
  }
  // A bug, or the disk failing: an honest 500, with the reason for whoever reads the log.
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`immuta-v2 server: ${error instanceof Error ? error.stack : message}`);
  return json(500, errorBody(500, `Internal error: ${message}`));
}
