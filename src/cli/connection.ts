/**
 * The connection settings every command that talks to a server shares: where (`--url` or
 * IMMUTA_URL), the API key (only ever from the environment), and how to send and retry.
 */
import { ImmutaClient, type ClientOptions } from "../client/client";
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
} as const;

/** The help text of the connection flags, for each command's --help. */
export const CONNECTION_HELP = `Connection:
  --url URL                 the server (default: $IMMUTA_URL)
  --api-key-env NAME        read the API key from the environment variable NAME
                            (default: IMMUTA_API_KEY). The key itself is never a flag,
                            so it stays out of process lists and synthesized files.
  --auth-header bearer|raw  send "Authorization: Bearer <key>" (default) or "Authorization: <key>"
  --timeout SECONDS         how long each request may take (default 60; a data --wait adds to it)
  --retries N               retries on connection errors, 429, 502, 503 and 504 (default 4;
                            429 waits as its Retry-After says); never on other answers
  --retry-delay SECONDS     backoff before the first retry, doubled for each further one,
                            with jitter (default 0.5)
`;

export const DEFAULT_API_KEY_ENV = "IMMUTA_API_KEY";

/** What the connection flags give: everything a client needs but its hooks. */
export type Connection = Required<
  Pick<ClientOptions, "url" | "apiKey" | "authHeader" | "timeoutMs" | "retries" | "retryDelayMs">
>;

export interface ConnectionValues {
  readonly url?: string;
  readonly "api-key-env"?: string;
  readonly "auth-header"?: string;
  readonly timeout?: string;
  readonly retries?: string;
  readonly "retry-delay"?: string;
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
  };
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
          `retrying in ${(event.delayMs / 1000).toFixed(1)} s` +
          `${event.retryAfter ? " as its Retry-After asks" : ""}\n`,
      ),
    ...logging,
    ...extra,
  });
}
