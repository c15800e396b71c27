/**
 * The V2 API client: upsert, delete and read back the four kinds of objects. Requests go over a
 * keep-alive transport (./transport.ts), retried by undici's `RetryHandler` (./retry.ts decides);
 * every non-2xx answer becomes an ApiError naming the object and carrying the server's message.
 */
import {
  ApiError,
  NetworkError,
  NoEndpointError,
  UsageError,
  type RequestSubject,
} from "../errors";
import { KIND_LABEL, endpointPath, payloadKey, type Kind } from "../payload/kinds";
import { SECRET_PATHS_HEADER, formatSecretPaths, type SecretPath } from "../payload/secrets";
import type { DeleteResponse, PayloadByKind, QueryByKind, ResponseByKind } from "../payload/types";
import type { RetryEvent, RetryPolicy } from "./retry";
import { send, type Answer } from "./send";
import { serverMessage } from "./server-message";
import { NodeHttpTransport } from "./transport";
import type { DispatchOptions, Transport } from "./undici";

export interface ClientOptions {
  /** The tenant's base URL (`https://acme.hosted.immutacloud.com`); a path is kept as a prefix. */
  readonly url: string;
  readonly apiKey: string;
  /**
   * `bearer` sends `Authorization: Bearer <key>` (as Immuta's Terraform provider does), `raw`
   * sends `Authorization: <key>` (as Immuta's V2 examples do).
   * @default "bearer"
   */
  readonly authHeader?: "bearer" | "raw";
  /** Per request: how long an answer may take (on top of a data request's own `wait`). @default 60000 */
  readonly timeoutMs?: number;
  /** Retries after the first attempt, on connection errors, 429, 502, 503 and 504. @default 4 */
  readonly retries?: number;
  /** Backoff before the first retry, doubling for each further one, with jitter. @default 500 */
  readonly retryDelayMs?: number;
  /** Ceiling on the backoff between attempts (a `Retry-After` has its own). @default 30000 */
  readonly maxRetryDelayMs?: number;
  /**
   * The longest wait a server's `Retry-After` (429, 503) is honoured for; a server asking for
   * more is retried after this long, and `onRetry` is told both (`delayMs`, `retryAfterMs`).
   * @default 300000 (five minutes)
   */
  readonly maxRetryAfterMs?: number;
  /**
   * The transport under the retries: any undici dispatcher (`MockAgent` in tests, an undici
   * `Agent` for a proxy). @default a keep-alive node:http transport (./transport.ts)
   */
  readonly dispatcher?: Transport;
  /** Told before each retry. */
  readonly onRetry?: (event: RetryEvent & RequestEvent) => void;
  /** Told before each call is sent (once, however many attempts it takes). */
  readonly onRequest?: (event: RequestEvent) => void;
  /** Told of each call's final answer. */
  readonly onResponse?: (event: ResponseEvent) => void;
}

export interface RequestEvent {
  readonly method: string;
  /** Path and query as sent: `/api/v2/purpose?dryRun=false`. */
  readonly path: string;
  /** The payload, secrets resolved: redact before printing it. */
  readonly payload?: unknown;
}

export interface ResponseEvent extends RequestEvent {
  readonly status: number;
  readonly statusText: string;
  readonly body: string;
  readonly elapsedMs: number;
}

/** Query flags of a DELETE. */
export interface DeleteQuery {
  readonly dryRun?: boolean;
}

/** The default `maxRetryAfterMs`; `--max-retry-wait` documents the same. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 300_000;

type Query = Readonly<Record<string, boolean | number | string | undefined>>;

interface Call {
  readonly method: "GET" | "POST" | "DELETE";
  readonly path: string;
  readonly query?: Query;
  readonly payload?: unknown;
  readonly kind?: Kind;
  readonly key?: string;
  /** Extra milliseconds the server may hold the answer (a data request's `wait`); -1: unbounded. */
  readonly serverWaitMs?: number;
  /** Extra request headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ApplyOptions {
  /**
   * Where the payload holds values that came from secret placeholders (`$env`): said to the
   * server (paths, never values) so that it never shows them back. Immuta ignores the header.
   */
  readonly secretPaths?: readonly SecretPath[];
}

export class ImmutaClient {
  readonly #origin: string;
  readonly #prefix: string;
  readonly #authorization: string;
  readonly #timeoutMs: number;
  readonly #policy: RetryPolicy;
  readonly #transport: Transport;
  readonly #options: ClientOptions;

  constructor(options: ClientOptions) {
    let base: URL;
    try {
      base = new URL(options.url);
    } catch {
      throw new UsageError(`not a URL: "${options.url}" (expected e.g. https://acme.example.com)`);
    }
    if (base.protocol !== "http:" && base.protocol !== "https:") {
      throw new UsageError(`not an http or https URL: "${options.url}"`);
    }
    if (!options.apiKey) throw new UsageError("the API key is empty");
    this.#options = options;
    this.#origin = base.origin;
    this.#prefix = base.pathname.replace(/\/+$/, "");
    this.#authorization =
      options.authHeader === "raw" ? options.apiKey : `Bearer ${options.apiKey}`;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#policy = {
      retries: Math.max(0, options.retries ?? 4),
      baseDelayMs: options.retryDelayMs ?? 500,
      maxDelayMs: options.maxRetryDelayMs ?? 30_000,
      maxRetryAfterMs: Math.max(0, options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS),
    };
    this.#transport =
      options.dispatcher ??
      new NodeHttpTransport({
        origin: this.#origin,
        headersTimeoutMs: this.#timeoutMs,
        bodyTimeoutMs: this.#timeoutMs,
      });
  }

  /** POSTs the complete desired state of one object; the same call creates and updates. */
  async apply<K extends Kind>(
    kind: K,
    payload: PayloadByKind[K],
    query: QueryByKind[K] = {},
    options: ApplyOptions = {},
  ): Promise<ResponseByKind[K]> {
    const wait = (query as { wait?: number }).wait;
    const paths = options.secretPaths ?? [];
    const answer = await this.#call({
      headers: paths.length > 0 ? { [SECRET_PATHS_HEADER]: formatSecretPaths(paths) } : undefined,
      method: "POST",
      path: endpointPath(kind),
      query: { dryRun: false, ...query },
      payload,
      kind,
      key: payloadKey(kind, payload),
      serverWaitMs: wait === undefined || wait === 0 ? 0 : wait < 0 ? -1 : wait * 1000,
    });
    return parseJson(answer, this.#subject("POST", endpointPath(kind), kind)) as ResponseByKind[K];
  }

  /** DELETEs one object; a 404 (already absent) is an ApiError with status 404. */
  async delete(kind: Kind, key: string, query: DeleteQuery = {}): Promise<DeleteResponse> {
    const path = objectPath(kind, key);
    const answer = await this.#call({
      method: "DELETE",
      path,
      query: { dryRun: false, ...query },
      kind,
      key,
    });
    return parseJson(answer, this.#subject("DELETE", path, kind, key)) as DeleteResponse;
  }

  /**
   * One object as the server stores it (embedded server only). An absent object is an ApiError
   * with status 404; a server without read endpoints raises NoEndpointError.
   */
  async get(kind: Kind, key: string): Promise<Record<string, unknown>> {
    const path = objectPath(kind, key);
    try {
      const answer = await this.#call({ method: "GET", path, kind, key });
      return parseJson(answer, this.#subject("GET", path, kind, key)) as Record<string, unknown>;
    } catch (error) {
      if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 405)) {
        throw error;
      }
      if (error.status === 405)
        throw new NoEndpointError("GET", `${endpointPath(kind)}/{key}`, 405);
      // A 404 means "no such object" only where the kind can be listed at all.
      await this.list(kind);
      throw error;
    }
  }

  /** The keys of every object of a kind (embedded server only). */
  async list(kind: Kind): Promise<string[]> {
    const path = endpointPath(kind);
    try {
      const answer = await this.#call({ method: "GET", path, kind });
      return listedKeys(parseJson(answer, this.#subject("GET", path, kind)));
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 405)) {
        throw new NoEndpointError("GET", error.path, error.status);
      }
      throw error;
    }
  }

  /** Ends the kept-alive connections, so that the process can exit at once. */
  async close(): Promise<void> {
    await this.#transport.close();
  }

  #subject(method: string, path: string, kind?: Kind, key?: string): RequestSubject {
    // Calls about one object name it; a list names no object (its path says the kind).
    const label =
      kind === undefined || key === undefined ? undefined : `${KIND_LABEL[kind]} "${key}"`;
    return { method, path: this.#prefix + path, kind, key, label };
  }

  async #call(call: Call): Promise<Answer> {
    const subject = this.#subject(call.method, call.path, call.kind, call.key);
    const path = subject.path + queryString(call.query);
    const event: RequestEvent = { method: call.method, path, payload: call.payload };
    let attempts = 1;
    const hooks = {
      onAttemptFailed: (attempt: number) => (attempts = attempt),
      onRetry: (retryEvent: RetryEvent) => this.#options.onRetry?.({ ...retryEvent, ...event }),
    };
    const headersTimeout =
      call.serverWaitMs === -1 ? 0 : this.#timeoutMs + (call.serverWaitMs ?? 0);
    const headers: Record<string, string> = {
      ...call.headers,
      authorization: this.#authorization,
      accept: "application/json",
      "user-agent": "cdktf-immuta",
    };
    const body = call.payload === undefined ? undefined : JSON.stringify(call.payload);
    if (body !== undefined) headers["content-type"] = "application/json";
    const opts: DispatchOptions = {
      origin: this.#origin,
      path,
      method: call.method,
      headers,
      body,
      headersTimeout,
      bodyTimeout: this.#timeoutMs,
    };

    this.#options.onRequest?.(event);
    const started = Date.now();
    let answer: Answer;
    try {
      answer = await send(this.#transport, opts, this.#policy, hooks);
    } catch (error) {
      // Required here: only a failing call needs the words for its failure.
      const { describeFailure } = require("./failure") as typeof import("./failure");
      const { reason, code } = describeFailure(error, this.#origin, headersTimeout);
      throw new NetworkError(subject, reason, code, attempts);
    }
    this.#options.onResponse?.({
      ...event,
      status: answer.status,
      statusText: answer.statusText,
      body: answer.body,
      elapsedMs: Date.now() - started,
    });
    if (answer.status < 200 || answer.status > 299) {
      throw new ApiError(subject, answer.status, serverMessage(answer.body), statusText(answer));
    }
    return answer;
  }
}

/** `/api/v2/{kind}/{key}`, the key URL-encoded (keys may hold spaces, slashes, anything). */
export function objectPath(kind: Kind, key: string): string {
  return `${endpointPath(kind)}/${encodeURIComponent(key)}`;
}

function queryString(query: Query | undefined): string {
  const parts = Object.entries(query ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  return parts.length === 0 ? "" : `?${parts.join("&")}`;
}

function statusText(answer: Answer): string {
  if (answer.statusText) return answer.statusText;
  try {
    const { error } = JSON.parse(answer.body) as { error?: unknown };
    return typeof error === "string" ? error : "";
  } catch {
    return "";
  }
}

function parseJson(answer: Answer, subject: RequestSubject): unknown {
  try {
    return JSON.parse(answer.body);
  } catch {
    throw new ApiError(
      subject,
      answer.status,
      `the answer is not JSON: ${serverMessage(answer.body) || "(empty)"}`,
      statusText(answer),
    );
  }
}

/** The keys in a list answer (the embedded server's: a JSON list of keys). */
function listedKeys(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === "string")
    : [];
}
