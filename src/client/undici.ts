/**
 * What the client takes from undici: its dispatcher contract (types only) and, once a call has
 * failed, its `RetryHandler`. Only the package's public entry is used, so any undici 7 fits.
 *
 * Why so little, and so late: `require("undici")` loads the whole library (its HTTP/1 parser
 * compiled from WebAssembly, `node:http2`, fetch, caches), about 60 ms, twice a bare Node start,
 * and the first request through its own transport compiles that parser while V8's background
 * tier-up of it holds the process ~200 ms at exit. A provisioner starts one process per changed
 * object, so requests go through ./transport.ts instead, and undici is loaded only by a process
 * whose call has failed once and is about to wait its backoff anyway (see ./send.ts).
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
 * `transport` behind undici's `RetryHandler` (what `interceptors.retry` installs per request),
 * with each attempt sent after `backoff.delayMs`, the wait the retry decision set.
 */
export function withRetries(
  transport: Transport,
  options: RetryOptions,
  backoff: Backoff,
): Transport {
  const { RetryHandler } = require("undici") as typeof Undici;
  const later = delayed(transport, backoff);
  return {
    dispatch: (opts, handler) =>
      later(
        opts,
        new RetryHandler({ ...opts, retryOptions: options }, { dispatch: later, handler }),
      ),
    close: () => transport.close(),
  };
}

/** `transport.dispatch`, each request sent after the backoff the retry decision set. */
function delayed(transport: Transport, backoff: Backoff): Transport["dispatch"] {
  return (opts, handler) => {
    setTimeout(() => {
      try {
        transport.dispatch(opts, handler);
      } catch (error) {
        // No request was started, so there is no controller to give.
        handler.onResponseError?.(null as unknown as DispatchController, error as Error);
      }
    }, backoff.delayMs);
    return true;
  };
}
