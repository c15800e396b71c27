/**
 * Progress while a request waits on asynchronous work (`apply --kind data --wait`): every few
 * seconds the elapsed time and, where the server can say, how many data sources are ready. On a
 * terminal it is one live line, rewritten in place; in a log (Terraform's) it is a plain line per
 * report, so the log reads as a timeline.
 */
import type { Io } from "./io";

export interface Readiness {
  readonly ready: number;
  readonly total: number;
}

export interface ProgressOptions {
  readonly io: Io;
  /** What is being waited on: `data source connection "dwh"`. */
  readonly subject: string;
  /** @default 5000 */
  readonly intervalMs?: number;
  /**
   * Asks the server how far it is; undefined when it cannot say. Errors are ignored, and a
   * `false` answer stops asking (the server has no read endpoint).
   */
  readonly poll?: () => Promise<Readiness | undefined | false>;
}

export interface Progress {
  /** Stops reporting and clears the live line. */
  stop(): void;
}

export function startProgress(options: ProgressOptions): Progress {
  const { io, subject } = options;
  const live = io.stderr.isTTY === true;
  const started = Date.now();
  let latest: Readiness | undefined;
  let poll = options.poll;
  let stopped = false;
  let shown = false;

  const report = () => {
    if (stopped) return;
    const elapsed = Math.round((Date.now() - started) / 1000);
    const ready = latest ? `, ${latest.ready} of ${latest.total} data sources ready` : "";
    const line = `waiting for ${subject}: ${elapsed} s${ready}`;
    io.stderr.write(live ? `\r\x1b[K${line}` : `${line}\n`);
    shown = true;
  };
  // Ask only when a report is due, so that a call that ends in time costs no extra request;
  // report when the answer comes, or after a second without it.
  const ask = async () => {
    if (!poll) return;
    try {
      const answer = await poll();
      if (answer === false) poll = undefined;
      else if (answer) latest = answer;
    } catch {
      // the count is a courtesy: keep the last one
    }
  };
  let asking = false;
  const tick = () => {
    if (asking) return report();
    asking = true;
    const asked = ask().finally(() => (asking = false));
    const waited = new Promise((resolve) => setTimeout(resolve, 1000).unref());
    void Promise.race([asked, waited]).then(report);
  };

  const timer = setInterval(tick, options.intervalMs ?? 5000);
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      poll = undefined;
      if (live && shown) io.stderr.write("\r\x1b[K");
    },
  };
}
/**
 * How many of a connection's data sources are ready, from the embedded server's
 * `GET /api/v2/data/{key}` answer (`dataSources`, each with its `status`); disabled sources are
 * not waited for. Undefined when the answer has no such list.
 */
export function readiness(stored: Record<string, unknown>): Readiness | undefined {
  const sources = stored.dataSources;
  if (!Array.isArray(sources)) return undefined;
  const statuses = sources
    .map((source) => (source as { status?: unknown } | null)?.status)
    .filter((status): status is string => typeof status === "string" && status !== "disabled");
  return { ready: statuses.filter((status) => status === "active").length, total: statuses.length };
}
