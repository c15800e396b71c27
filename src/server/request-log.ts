/**
 * The request log tests read to assert the exact calls a deploy caused: each request as it arrives
 * (method, path, query), completed with its kind, key and status as they become known. Bounded,
 * so that a long-running server's memory stays bounded.
 */
import { queryPairs } from "./query";
import type { RequestLogEntry } from "./types";

export type LogEntry = { -readonly [F in keyof RequestLogEntry]: RequestLogEntry[F] };

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

export class RequestLog {
  private readonly entries: LogEntry[] = [];

  /** @param limit how many of the latest requests to keep */
  constructor(private readonly limit: number) {}

  /** Logs a request as it arrives; the caller completes the entry. */
  start(method: string, path: string, search: string): LogEntry {
    const entry: LogEntry = { method, path, query: NO_PARAMS, status: 0 };
    if (search !== "") entry.query = Object.freeze(Object.fromEntries(queryPairs(search)));
    this.entries.push(entry);
    // Trimmed in batches, so that a full log does not cost a shift per request.
    if (this.entries.length >= this.limit + 1024) {
      this.entries.splice(0, this.entries.length - this.limit);
    }
    return entry;
  }

  /** Copies of the latest entries, oldest first. */
  list(): RequestLogEntry[] {
    const kept = this.limit === 0 ? [] : this.entries.slice(-this.limit);
    return kept.map((entry) => ({ ...entry }));
  }
}
