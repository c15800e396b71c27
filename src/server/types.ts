/**
 * The embedded server's public types: what `startServer` takes and gives back. Everything else
 * in `src/server` is internal.
 */
import type { Kind } from "../payload/kinds";

/** The Immuta permissions the V2 endpoints require. */
export type Permission = "CREATE_DATA_SOURCE" | "GOVERNANCE" | "CREATE_PROJECT";

export const PERMISSIONS: readonly Permission[] = [
  "CREATE_DATA_SOURCE",
  "GOVERNANCE",
  "CREATE_PROJECT",
];

/**
 * An API key the server accepts, given as the key or as its SHA-256 (so that a users file need not
 * hold the key itself): exactly one of `key` and `keySha256`.
 */
export interface ApiKey {
  readonly key?: string;
  /** The key's SHA-256, as 64 hexadecimal digits. */
  readonly keySha256?: string;
  /** @default every permission */
  readonly permissions?: readonly Permission[];
  /**
   * The user the key acts as: shown as a data source's owner, never the key.
   * @default `key-sha256-` and the first 12 hex digits of the key's SHA-256
   */
  readonly user?: string;
}

/**
 * An injected failure, for tests: a request to a V2 route (`/api/v2/{kind}`) that matches every
 * given criterion (`method`, `kind`, `key`) is delayed, answered with `status`, or has its
 * connection dropped. The simulate and compatibility routes are never faulted.
 */
export interface Fault {
  /** Answer with this status and a JSON error body instead of handling the request. */
  readonly status?: number;
  /** Wait this long first (then answer with `status`, drop, or handle the request normally). */
  readonly delayMs?: number;
  /** Destroy the connection without answering. */
  readonly drop?: boolean;
  /** How many matching requests to affect. @default unlimited */
  readonly times?: number;
  /** `GET`, `POST` or `DELETE`; case-insensitive. */
  readonly method?: string;
  readonly kind?: Kind;
  /** The object's key: from the body for POST, from the URL for DELETE and GET. */
  readonly key?: string;
}

/** One request the server received, in arrival order. */
export interface RequestLogEntry {
  readonly method: string;
  /** The path as sent, still URL-encoded (`/api/v2/project/my%20project`). */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The status answered; 0 when the connection was dropped (or no answer was sent yet). */
  readonly status: number;
  /** The V2 kind addressed, when the path names one. */
  readonly kind?: Kind;
  /** The object's key: from the body for POST, from the URL for DELETE and GET. */
  readonly key?: string;
}

/** The tables a connection can see: schema → table → column names. */
export interface CatalogSchemas {
  readonly [schema: string]: { readonly [table: string]: readonly string[] };
}

export interface CatalogConnection {
  /** Matched case-insensitively. */
  readonly hostname: string;
  /** Matched case-insensitively. */
  readonly database: string;
  readonly schemas: CatalogSchemas;
}

/**
 * What each connection can see. The embedded server cannot reach a warehouse, so it learns the
 * tables (for `all` sources, unknown-table and unknown-column errors) from here.
 */
export interface Catalog {
  readonly connections: readonly CatalogConnection[];
}

export interface ServerOptions {
  /** @default 0 (any free port; read the chosen one from `url`) */
  readonly port?: number;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** Keep state in this directory (one file per object); memory only when absent. */
  readonly dataDir?: string;
  /**
   * The accepted API keys. When absent or empty, any non-empty `Authorization` value is accepted
   * with every permission (acting as the user named after its hash); a request without one is 401.
   */
  readonly apiKeys?: readonly ApiKey[];
  /** @default the demo catalog (`DEFAULT_CATALOG`) */
  readonly catalog?: Catalog;
  /** @default none */
  readonly faults?: readonly Fault[];
  /** How long new data sources stay `creating`. @default 0 */
  readonly creationDelayMs?: number;
  /** Larger bodies get 413; no object is stored larger than this either. @default 10 MiB */
  readonly maxBodyBytes?: number;
  /**
   * Larger YAML bodies get 413 (parsing YAML costs far more than JSON). At most `maxBodyBytes`.
   * @default 1 MiB
   */
  readonly maxYamlBodyBytes?: number;
  /**
   * Open connections at most; past it, a new connection sheds the connection idle longest (or is
   * refused when every connection is busy with a request). @default 256
   */
  readonly maxConnections?: number;
  /** A request's headers must arrive within this. @default 10,000 ms */
  readonly headersTimeoutMs?: number;
  /** A request, body included, must arrive within this. @default 30,000 ms */
  readonly requestTimeoutMs?: number;
  /**
   * The request log keeps this many of the latest requests (so that a long-running server's memory
   * stays bounded). @default 10,000
   */
  readonly requestLogLimit?: number;
  /** Serve HTTPS with this certificate: PEM text, or the path of a PEM file. */
  readonly tlsCert?: string | Buffer;
  /** The certificate's private key: PEM text, or the path of a PEM file. */
  readonly tlsKey?: string | Buffer;
}

export interface RunningServer {
  /** `http://127.0.0.1:PORT` (or `https://` with TLS). */
  readonly url: string;
  /** Stops listening, ends open connections and waits for the last write to be durable. */
  close(): Promise<void>;
  /** A copy of the request log: the latest `requestLogLimit` requests, oldest first. */
  requests(): RequestLogEntry[];
}
