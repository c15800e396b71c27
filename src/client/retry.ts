/**
 * When to retry a request and how long to wait first. The re-sending is undici's `RetryHandler`
 * (see ./send.ts); this file only decides, because undici's default decision has no jitter (many
 * provisioners retrying a recovering server in step would hit it together again) and does not
 * retry POST (every V2 call is idempotent: POST carries the complete desired state). A server's
 * `Retry-After` is honoured up to a maximum of its own (`maxRetryAfterMs`), not the backoff's.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { RetryCallback, RetryOptions } from "./undici";

/** Answers worth retrying: rate limited, or a gateway or the server briefly unavailable. */
export const RETRY_STATUSES: readonly number[] = [429, 502, 503, 504];

/**
 * Failures before any answer that a retry can cure: the connection refused, reset or dropped, a
 * name that did not resolve (transient DNS), a connect timeout. A request that timed out waiting
 * for its answer is not retried: the server has it and is slow; sending it again doubles the load
 * and the wait.
 */
export const RETRY_ERROR_CODES: readonly string[] = [
  "ECONNRESET",
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETDOWN",
  "ENETUNREACH",
  "EHOSTDOWN",
  "EHOSTUNREACH",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
];

/** Every V2 call is idempotent, so every method the client uses may be sent again. */
export const RETRY_METHODS = ["GET", "POST", "DELETE"] as const;

export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables retrying. */
  readonly retries: number;
  /** Backoff before the first retry, doubled for each further one. */
  readonly baseDelayMs: number;
  /** Ceiling on the backoff (a server's `Retry-After` has its own, below). */
  readonly maxDelayMs: number;
  /**
   * The longest `Retry-After` honoured: a server asking for more is retried after this long.
   * Rate limits and maintenance windows ask for minutes, so this is not the backoff ceiling.
   */
  readonly maxRetryAfterMs: number;
  /** Source of jitter, in [0, 1); replaceable in tests. */
  readonly random?: () => number;
}

/** A retry about to happen, for logs. */
export interface RetryEvent {
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  /** Attempts allowed in all (retries + 1). */
  readonly attempts: number;
  readonly delayMs: number;
  /** Why: the status answered (`503`), or the error code (`ECONNRESET`). */
  readonly reason: string;
  /** Whether the delay is the server's `Retry-After`. */
  readonly retryAfter: boolean;
  /** What the server's `Retry-After` asked for; more than `delayMs` when the policy capped it. */
  readonly retryAfterMs?: number;
}

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date); undefined when absent or past. */
export function retryAfterMs(
  header: string | string[] | undefined,
  now = Date.now(),
): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : new Date(value).getTime() - now;
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/**
 * The wait before retrying after failed attempt `attempt`: the server's `Retry-After` when it
 * gave one, else exponential backoff with "equal jitter" (half fixed, half random), so waits
 * grow but never collapse to zero and concurrent clients spread out.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfter?: number): number {
  if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
  const random = policy.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

interface RetryableError {
  readonly statusCode?: number;
  readonly code?: string;
  readonly headers?: IncomingHttpHeaders;
}

/** Why a failure is worth another attempt, or undefined when it is not. */
export function retryReason(error: Error): string | undefined {
  const { statusCode, code } = error as RetryableError;
  // undici reports a non-2xx answer to the retry decision as UND_ERR_REQ_RETRY with its status.
  if (code === "UND_ERR_REQ_RETRY" && statusCode !== undefined) {
    return RETRY_STATUSES.includes(statusCode) ? String(statusCode) : undefined;
  }
  return code !== undefined && RETRY_ERROR_CODES.includes(code) ? code : undefined;
}

export interface RetryHooks {
  /** Told the number of every failed attempt, so that an error can say how many were made. */
  readonly onAttemptFailed?: (attempt: number) => void;
  /** Told of each retry decided, before its wait. */
  readonly onRetry?: (event: RetryEvent) => void;
}

/** Whether to retry after failed attempt `attempt`, and after how long; undefined: give up. */
export function retryDecision(
  policy: RetryPolicy,
  error: Error,
  attempt: number,
  method: string,
): RetryEvent | undefined {
  const reason = retryReason(error);
  if (
    reason === undefined ||
    !(RETRY_METHODS as readonly string[]).includes(method.toUpperCase()) ||
    attempt > policy.retries
  ) {
    return undefined;
  }
  const after = retryAfterMs((error as RetryableError).headers?.["retry-after"]);
  return {
    attempt,
    attempts: policy.retries + 1,
    delayMs: retryDelay(policy, attempt, after),
    reason,
    retryAfter: after !== undefined,
    ...(after === undefined ? {} : { retryAfterMs: after }),
  };
}

/** The wait before the next attempt, set by the retry decision and kept by ./undici.ts's delay. */
export interface Backoff {
  delayMs: number;
}

/**
 * Options for undici's `RetryHandler`, taking over a call after `attemptsMade` attempts. The
 * decision answers at once and leaves the wait to `backoff`: undici would otherwise hold the
 * failed answer paused while waiting, which a dispatcher that cannot pause (MockAgent) ignores,
 * and which keeps a connection busy for nothing.
 */
export function retryOptions(
  policy: RetryPolicy,
  hooks: RetryHooks,
  attemptsMade: number,
  backoff: Backoff,
): RetryOptions {
  const retry: RetryCallback = (error, { state, opts }, done) => {
    // undici counts its own failed attempts (from 1) before asking.
    const attempt = attemptsMade + state.counter;
    hooks.onAttemptFailed?.(attempt);
    const decision = retryDecision(policy, error, attempt, String(opts.method));
    if (decision === undefined) {
      done(error);
      return;
    }
    hooks.onRetry?.(decision);
    backoff.delayMs = decision.delayMs;
    done(null);
  };
  return {
    retry,
    maxRetries: Math.max(0, policy.retries - attemptsMade),
    methods: [...RETRY_METHODS],
    statusCodes: [...RETRY_STATUSES],
    errorCodes: [...RETRY_ERROR_CODES],
    // Hand the last answer over, body and all, instead of undici's bodiless RequestRetryError:
    // the server's message is what the person reading the log needs.
    throwOnError: false,
  };
}
