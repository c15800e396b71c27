/** The V2 API client. */
export {
  ImmutaClient,
  objectPath,
  serverMessage,
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
export { NodeHttpTransport, type TransportOptions } from "./transport";
