/**
 * The few parts of undici the client uses, required by file and only when needed.
 *
 * Why not `require("undici")`: its index loads the whole library (its HTTP/1 parser compiled from
 * WebAssembly, `node:http2`, fetch, caches), about 50 ms, and the first request through its own
 * transport compiles that parser (30 ms) while V8's background tier-up of it holds the process
 * ~200 ms at exit. A provisioner starts one process per changed object, so that would triple a
 * deploy's start-up cost. Even the retry interceptor alone loads undici's core utilities, which
 * build a header lookup tree at load (a fifth of a bare Node start), so ./send.ts loads it only
 * when a request has failed once.
 */
import type * as Undici from "undici";
import type { Backoff } from "./retry";

export type Dispatcher = Undici.Dispatcher;
export type DispatchOptions = Undici.Dispatcher.DispatchOptions;
export type DispatchHandler = Undici.Dispatcher.DispatchHandler;
export type DispatchController = Undici.Dispatcher.DispatchController;
export type RetryOptions = Undici.RetryHandler.RetryOptions;
export type RetryCallback = Undici.RetryHandler.RetryCallback;

/** What the client needs of a transport: undici's dispatcher contract (MockAgent fits). */
export interface Transport {
  dispatch(opts: DispatchOptions, handler: DispatchHandler): boolean;
  close(): Promise<void>;
}

/**
 * `transport` behind undici's retry interceptor (`interceptors.retry`), as undici's
 * `Dispatcher.compose` builds it, with each attempt sent after `backoff.delayMs`.
 */
export function withRetries(
  transport: Transport,
  options: RetryOptions,
  backoff: Backoff,
): Transport {
  const { prototype } = require("undici/lib/dispatcher/dispatcher") as typeof Undici.Dispatcher;
  const retry = require("undici/lib/interceptor/retry") as typeof Undici.interceptors.retry;
  return prototype.compose.call(
    transport as Dispatcher,
    delayed(backoff),
    retry(options),
  ) as Transport;
}

/** An interceptor that sends each request after the backoff the retry decision set. */
function delayed(backoff: Backoff): Undici.Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    setTimeout(() => {
      try {
        dispatch(opts, handler);
      } catch (error) {
        // No request was started, so there is no controller to give.
        handler.onResponseError?.(null as unknown as DispatchController, error as Error);
      }
    }, backoff.delayMs);
    return true;
  };
}
