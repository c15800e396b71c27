/**
 * What a client is told when the data directory fails under a request: 507 when the disk is full,
 * 500 otherwise, by the error's code alone. The message never names a path (the server's own log
 * has the details), so that a response does not map the server's file system for its callers.
 */
import { HttpError } from "./http-error";

const DISK_FULL = new Set(["ENOSPC", "EDQUOT"]);

/** The answer for a file system error; undefined for any other error. */
export function storageError(error: unknown): HttpError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const syscall = (error as NodeJS.ErrnoException | undefined)?.syscall;
  if (typeof code !== "string" || typeof syscall !== "string") return undefined;
  if (DISK_FULL.has(code)) {
    return new HttpError(
      507,
      `The server's disk is full (${code}): the request failed; try again once space is freed`,
    );
  }
  return new HttpError(
    500,
    `The server could not read or write its data directory (${code}): the request failed`,
  );
}
