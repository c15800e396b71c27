/**
 * The server's error answers. Handlers throw `HttpError`; the dispatcher turns it into the body
 * every error has, `{ statusCode, error, message }` (hapi's shape, which Immuta's API uses).
 */
import { STATUS_CODES } from "node:http";
import { formatProblem, type Problem } from "../errors";
import type { ErrorBody } from "../payload/types";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra response headers (`Allow` on a 405). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** A 400 listing every problem, one per line, each as `field.path: problem`. */
export function badRequest(problems: readonly Problem[]): HttpError {
  return new HttpError(400, problems.map(formatProblem).join("\n"));
}

export function errorBody(status: number, message: string): ErrorBody {
  return { statusCode: status, error: STATUS_CODES[status] ?? "Error", message };
}
