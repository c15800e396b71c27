/**
 * The connection settings every command that talks to a server shares: where (`--url` or
 * IMMUTA_URL), the API key (only ever from the environment), and how to send and retry.
 */
import { DEFAULT_MAX_RETRY_AFTER_MS, ImmutaClient, type ClientOptions } from "../client/client";
import type { RetryEvent } from "../client/retry";
import { UsageError } from "../errors";
import { ENV_NAME } from "../payload/secrets";
import type { Io } from "./io";

/** parseArgs options of the connection flags; spread them into a command's own. */
export const CONNECTION_OPTIONS = {
  url: { type: "string" },
  "api-key-env": { type: "string" },
  "auth-header": { type: "string" },
  timeout: { type: "string" },
  retries: { type: "string" },
  "retry-delay": { type: "string" },
  "max-retry-wait": { type: "string" },
} as const;

/** The help text of the connection flags, for each command's --help. */
export const CONNECTION_HELP = `Connection:
  --url URL                 the server (default: $IMMUTA_URL)
  --api-key-env NAME        read the API key from the environment variable NAME
                            (default: IMMUTA_API_KEY). The key itself is never a flag,
                            so it stays out of process lists and synthesized files.
  --auth-header bearer|raw  send "Authorization: Bearer <key>" (default) or "Authorization: <key>"
  --timeout SECONDS         how long each request may take (default 60; a data --wait adds to it)
  --retries N               retries on connection errors, 429, 502, 503 and 504 (default 4);
                            never on other answers
  --retry-delay SECONDS     backoff before the first retry, doubled for each further one,
                            with jitter, at most 30 s (default 0.5)
  --max-retry-wait SECONDS  the longest wait honoured when a 429 or 503 gives a Retry-After;
                            a longer one is cut to this, and each wait is announced on stderr
                            (default: $IMMUTA_MAX_RETRY_WAIT, else 300)
`;

export const DEFAULT_API_KEY_ENV = "IMMUTA_API_KEY";

/** What the connection flags give: everything a client needs but its hooks. */
export type Connection = Required<
  Pick<
    ClientOptions,
    "url" | "apiKey" | "authHeader" | "timeoutMs" | "retries" | "retryDelayMs" | "maxRetryAfterMs"
  >
>;

export interface ConnectionValues {
  readonly url?: string;
  readonly "api-key-env"?: string;
  readonly "auth-header"?: string;
  readonly timeout?: string;
  readonly retries?: string;
  readonly "retry-delay"?: string;
  readonly "max-retry-wait"?: string;
}

export function readConnection(values: ConnectionValues, env: NodeJS.ProcessEnv): Connection {
  const url = values.url ?? env.IMMUTA_URL;
  if (url === undefined || url.trim() === "") {
    throw new UsageError(
      "no server given: pass --url URL or set the environment variable IMMUTA_URL",
    );
  }
  const keyEnv = values["api-key-env"] ?? DEFAULT_API_KEY_ENV;
  if (!ENV_NAME.test(keyEnv)) {
    // A key pasted where a name belongs must not be echoed back into a log.
    throw new UsageError(
      "--api-key-env takes the NAME of an environment variable holding the API key " +
        "(letters, digits and _), never the key itself",
    );
  }
  const apiKey = env[keyEnv];
  if (apiKey === undefined || apiKey === "") {
    throw new UsageError(
      `no API key: the environment variable ${keyEnv} is ${apiKey === "" ? "empty" : "not set"}` +
        (values["api-key-env"] === undefined
          ? " (set it, or name another variable with --api-key-env NAME)"
          : " (named by --api-key-env)"),
    );
  }
  const authHeader = values["auth-header"] ?? "bearer";
  if (authHeader !== "bearer" && authHeader !== "raw") {
    throw new UsageError(`--auth-header must be bearer or raw (got "${authHeader}")`);
  }
  return {
    url: url.trim(),
    apiKey,
    authHeader,
    timeoutMs: seconds("timeout", values.timeout, 60, { min: 0.001 }),
    retries: count("retries", values.retries, 4),
    retryDelayMs: seconds("retry-delay", values["retry-delay"], 0.5, { min: 0 }),
    maxRetryAfterMs: maxRetryWait(values["max-retry-wait"], env.IMMUTA_MAX_RETRY_WAIT),
  };
}

/** `--max-retry-wait`, else IMMUTA_MAX_RETRY_WAIT (a stack's provisioners may not carry the flag). */
function maxRetryWait(flag: string | undefined, env: string | undefined): number {
  if (flag !== undefined) return seconds("max-retry-wait", flag, 0, { min: 0 });
  if (env === undefined || env.trim() === "") return DEFAULT_MAX_RETRY_AFTER_MS;
  const parsed = Number(env);
  if (!Number.isFinite(parsed) || parsed < 0) {
    throw new UsageError(
      `the environment variable IMMUTA_MAX_RETRY_WAIT must be a number of seconds (got "${env}")`,
    );
  }
  return Math.round(parsed * 1000);
}

/** A duration flag in seconds (decimals allowed), as milliseconds. */
export function seconds(
  flag: string,
  value: string | undefined,
  fallback: number,
  { min }: { min: number },
): number {
  if (value === undefined) return fallback * 1000;
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed) || parsed < min) {
    throw new UsageError(
      `--${flag} must be a number of seconds${min > 0 ? " above 0" : ""} (got "${value}")`,
    );
  }
  return Math.round(parsed * 1000);
}

function count(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim())) {
    throw new UsageError(`--${flag} must be a whole number, 0 or more (got "${value}")`);
  }
  return Number(value);
}

/**
 * A client for the connection. Retries are always reported on stderr (a deploy that slows down
 * should say why); with `verbose`, every request and answer too.
 */
export function createClient(
  connection: Connection,
  io: Io,
  verbose: boolean,
  extra: Partial<ClientOptions> = {},
): ImmutaClient {
  // Required only for --verbose: every module loaded is start-up time for every object.
  const logging = verbose
    ? (require("./verbose") as typeof import("./verbose")).verboseHooks(io)
    : {};
  return new ImmutaClient({
    ...connection,
    onRetry: (event) =>
      io.stderr.write(
        `immuta-v2: ${event.method} ${event.path}: attempt ${event.attempt} of ${event.attempts} ` +
          `failed (${/^\d+$/.test(event.reason) ? `status ${event.reason}` : event.reason}); ` +
          `${retryWait(event)}\n`,
      ),
    ...logging,
    ...extra,
  });
}

/** How long a retry waits, and why: the backoff, or the server's Retry-After (and its cap). */
export function retryWait(event: RetryEvent): string {
  const asked = event.retryAfterMs;
  if (asked === undefined) return `retrying in ${(event.delayMs / 1000).toFixed(1)} s`;
  const why =
    asked > event.delayMs
      ? `Retry-After asked ${inSeconds(asked)}; capped by --max-retry-wait`
      : "Retry-After";
  return `waiting ${inSeconds(event.delayMs)} (${why}) before retrying`;
}

/** `45 s`, `0.02 s`: whole seconds as such, shorter waits to the hundredth. */
function inSeconds(ms: number): string {
  return `${Math.round(ms / 10) / 100} s`;
}
