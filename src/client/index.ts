/** The V2 API client. */
export {
  ImmutaClient,
  objectPath,
  DEFAULT_MAX_RETRY_AFTER_MS,
  type ApplyOptions,
  type ClientOptions,
  type DeleteQuery,
  type RequestEvent,
  type ResponseEvent,
} from "./client";
export {
  RETRY_ERROR_CODES,
  RETRY_STATUSES,
  retryDelay,
  retryAfterMs,
  type RetryEvent,
  type RetryPolicy,
} from "./retry";
export { serverMessage } from "./server-message";
export { NodeHttpTransport, type TransportOptions } from "./transport";
