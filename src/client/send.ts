/**
 * One call with its retries. The first attempt goes straight to the transport; only when it fails
 * in a way worth retrying is the call handed to undici's `RetryHandler` for the attempts left.
 * Most calls never retry, and loading undici costs twice a bare Node start (see ./undici.ts):
 * paid only by a process that needs it. Both paths decide with ./retry.ts, which is loaded, like
 * undici, only once a call has failed.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { RetryHooks, RetryPolicy } from "./retry";
import type { DispatchController, DispatchHandler, DispatchOptions, Transport } from "./undici";

export async function send(
  transport: Transport,
  opts: DispatchOptions,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<Answer> {
  let failure: Error | undefined;
  let answer: Answer | undefined;
  try {
    answer = await exchange(transport, opts);
    if (answer.status < 300) return answer;
  } catch (error) {
    failure = error as Error;
  }
  // Past here the call has failed once; the retry rules are loaded only now.
  const { RETRY_STATUSES, retryDecision, retryOptions } =
    require("./retry") as typeof import("./retry");
  if (answer !== undefined) {
    if (!RETRY_STATUSES.includes(answer.status)) return answer;
    // The shape in which undici's retry handler reports a status to the decision.
    failure = Object.assign(new Error(`the server answered ${answer.status}`), {
      code: "UND_ERR_REQ_RETRY",
      statusCode: answer.status,
      headers: answer.headers,
    });
  }
  const decision = retryDecision(policy, failure as Error, 1, opts.method);
  if (decision === undefined) {
    if (answer !== undefined) return answer;
    hooks.onAttemptFailed?.(1);
    throw failure;
  }
  hooks.onAttemptFailed?.(1);
  hooks.onRetry?.(decision);
  const backoff = { delayMs: decision.delayMs };
  const { withRetries } = require("./undici") as typeof import("./undici");
  return exchange(withRetries(transport, retryOptions(policy, hooks, 1, backoff), backoff), opts);
}

export interface Answer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One request through a dispatcher, its answer collected whole (V2 answers are small JSON). */
export function exchange(dispatcher: Transport, opts: DispatchOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let statusText = "";
    let headers: IncomingHttpHeaders = {};
    let chunks: Buffer[] = [];
    const handler: DispatchHandler = {
      onRequestStart() {},
      onResponseStart(_controller: DispatchController, code, received, message) {
        status = code;
        statusText = message ?? "";
        headers = received;
        chunks = [];
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        resolve({ status, statusText, headers, body: Buffer.concat(chunks).toString("utf8") });
      },
      onResponseError(_controller, error) {
        reject(error);
      },
    };
    try {
      dispatcher.dispatch(opts, handler);
    } catch (error) {
      reject(error);
    }
  });
}
