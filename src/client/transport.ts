/**
 * An undici dispatcher that sends requests with `node:http` (or `node:https`) over a keep-alive
 * agent. undici's own transport parses HTTP with WebAssembly compiled in each process, which costs
 * a CLI started once per changed object more than the request itself (see ./undici.ts); Node's
 * built-in parser is native. Implementing undici's dispatcher contract keeps what sits on it
 * interchangeable: undici's retry interceptor here, `MockAgent` in its place in tests.
 */
import type { IncomingHttpHeaders, IncomingMessage, Agent, ClientRequest } from "node:http";
import * as http from "node:http";
import type { DispatchController, DispatchHandler, DispatchOptions, Transport } from "./undici";

/** A failure with the code undici gives the same failure, so that retry decisions are shared. */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

export interface TransportOptions {
  /** Where requests go when a request names no origin: `https://tenant.example.com`. */
  readonly origin: string;
  /** Milliseconds until the response headers must have arrived (connecting included); 0: none. */
  readonly headersTimeoutMs?: number;
  /** Milliseconds the response body may stay silent; 0: none. */
  readonly bodyTimeoutMs?: number;
  /** Connections kept open to the server at most. @default 8 */
  readonly maxSockets?: number;
}

/** Pause, resume and abort for one request, as undici's handlers expect them. */
class Controller implements DispatchController {
  aborted = false;
  reason: Error | null = null;
  #paused = false;
  response?: IncomingMessage;
  constructor(private readonly onAbort: (reason: Error) => void) {}
  get paused(): boolean {
    return this.#paused;
  }
  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.onAbort(reason);
  }
  pause(): void {
    this.#paused = true;
    this.response?.pause();
  }
  resume(): void {
    this.#paused = false;
    this.response?.resume();
  }
}

export class NodeHttpTransport implements Transport {
  readonly #origin: string;
  readonly #agent: Agent;
  readonly #headersTimeoutMs: number;
  readonly #bodyTimeoutMs: number;
  #closed = false;

  constructor(options: TransportOptions) {
    this.#origin = options.origin;
    this.#headersTimeoutMs = options.headersTimeoutMs ?? 0;
    this.#bodyTimeoutMs = options.bodyTimeoutMs ?? 0;
    const https = new URL(options.origin).protocol === "https:";
    // node:https (and TLS) is loaded only for an https origin: the embedded server is plain HTTP.
    const AgentClass: typeof Agent = https
      ? (require("node:https") as typeof import("node:https")).Agent
      : http.Agent;
    this.#agent = new AgentClass({ keepAlive: true, maxSockets: options.maxSockets ?? 8 });
  }

  dispatch(opts: DispatchOptions, handler: DispatchHandler): boolean {
    if (this.#closed) throw new TransportError("UND_ERR_DESTROYED", "the client is closed");
    const url = new URL(opts.path, opts.origin ?? this.#origin);
    const send: typeof http.request =
      url.protocol === "https:"
        ? (require("node:https") as typeof import("node:https")).request
        : http.request;
    let request: ClientRequest | undefined;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const controller = new Controller((reason) => finish(reason));

    // Exactly one of onResponseEnd / onResponseError reaches the handler, once.
    const finish = (error?: Error, trailers?: IncomingHttpHeaders) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) {
        request?.destroy();
        controller.response?.destroy();
        handler.onResponseError?.(controller, error);
        return;
      }
      try {
        handler.onResponseEnd?.(controller, trailers ?? {});
      } catch (thrown) {
        handler.onResponseError?.(controller, thrown as Error);
      }
    };
    // A handler that throws fails its own request instead of the process.
    const guard = (step: () => void) => {
      try {
        step();
      } catch (error) {
        finish(error as Error);
      }
    };
    const arm = (ms: number, makeError: () => Error) => {
      clearTimeout(timer);
      if (ms > 0) timer = setTimeout(() => finish(makeError()), ms);
    };

    guard(() => handler.onRequestStart?.(controller, {}));
    if (done || controller.aborted) return true;

    const headersTimeoutMs = opts.headersTimeout ?? this.#headersTimeoutMs;
    const bodyTimeoutMs = opts.bodyTimeout ?? this.#bodyTimeoutMs;
    arm(
      headersTimeoutMs,
      () =>
        new TransportError("UND_ERR_HEADERS_TIMEOUT", `no answer within ${headersTimeoutMs} ms`),
    );
    request = send(url, {
      method: opts.method,
      headers: opts.headers as http.OutgoingHttpHeaders | undefined,
      agent: this.#agent,
    }) as ClientRequest;
    request.on("error", (error) => finish(error));
    request.on("response", (response: IncomingMessage) => {
      controller.response = response;
      const idle = () =>
        arm(
          bodyTimeoutMs,
          () =>
            new TransportError("UND_ERR_BODY_TIMEOUT", `answer stalled for ${bodyTimeoutMs} ms`),
        );
      idle();
      response.on("data", (chunk: Buffer) => {
        idle();
        guard(() => handler.onResponseData?.(controller, chunk));
      });
      response.on("end", () => finish(undefined, response.trailers));
      response.on("error", (error) => finish(error));
      response.on("close", () => {
        if (!response.complete)
          finish(new TransportError("UND_ERR_SOCKET", "connection closed mid-answer"));
      });
      guard(() =>
        handler.onResponseStart?.(
          controller,
          response.statusCode ?? 0,
          response.headers,
          response.statusMessage,
        ),
      );
    });
    // The client sends JSON text; streamed bodies could not be retried anyway.
    request.end(opts.body as string | Buffer | undefined);
    return true;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#agent.destroy();
  }

  async destroy(): Promise<void> {
    return this.close();
  }
}
