/** `immuta-v2 serve`: the embedded V2 API server, until SIGINT or SIGTERM. */
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { ImmutaError, PayloadFileError, UsageError } from "../../errors";
import { readTextFile } from "../../payload/load";
import { formatOf, parseDocuments } from "../../payload/parse";
import { checkCatalog } from "../../server/catalog";
import { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from "../../server/choices";
import { parseFault } from "../../server/faults";
import { startServer } from "../../server/index";
import { readUsersFile } from "../../server/users-file";
import {
  PERMISSIONS,
  type ApiKey,
  type Catalog,
  type Permission,
  type RunningServer,
  type ServerOptions,
} from "../../server/types";
import { integerFlag, parse } from "../args";
import type { Command } from "../command";
import { EXIT } from "../io";

const help = `Usage: immuta-v2 serve [options]

Runs the embedded Immuta V2 API server: POST, DELETE and GET on /api/v2/data, /api/v2/policy,
/api/v2/project and /api/v2/purpose, as Immuta's V2 API documents them. Prints
"listening on http://HOST:PORT" as its first line and runs until interrupted (SIGINT, SIGTERM).
It also serves POST /api/v2/simulate (its own: who can see what, as immuta-v2 access --url asks)
and, so that Immuta's own Terraform provider (immuta/immuta) can manage purposes, projects and
tags against it too, the compatibility routes that provider calls outside the V2 API:
  GET, DELETE /governance/purpose/{id}   GET /governance/purpose
  GET /project/{id}   GET /project   POST /project/{id}/members/{subscriptionId}/acknowledge
  POST, GET /tag   DELETE /tag/{name}
They are not an API of ours: they answer in that provider's shapes, by the ids the V2 responses
return (purposeId, projectId), with the permissions of their V2 counterparts. That provider speaks
HTTPS only: give --tls-cert and --tls-key.

Options:
  --port N               port to listen on; 0 picks a free one (default 8080)
  --host HOST            address to bind (default 127.0.0.1)
  --data-dir DIR         keep state in DIR, one file per object, across restarts
                         (default: in memory only). It holds connection passwords: its files
                         are created readable by their owner only (0600, directories 0700).
  --users FILE           YAML or JSON users file: who may call, by name, with which permissions
                         and keys (in clear, as { $env: NAME }, or as keySha256), e.g.
                           users:
                             - { name: ci, key: { $env: CI_IMMUTA_KEY } }
                             - { name: steward, keySha256: <hex>, permissions: [GOVERNANCE] }
  --api-key KEY[:PERMS[:USER]]
                         accept this API key (repeatable), acting as USER (default: a name made
                         from a short hash of the key; never the key). PERMS limits it to a
                         comma-separated list of CREATE_DATA_SOURCE, GOVERNANCE, CREATE_PROJECT
                         (empty: all). A key on the command line is visible in the process list:
                         on a shared machine, use --users. Without --users or --api-key, any key
                         is accepted with every permission.
  --catalog FILE         YAML or JSON catalog of the tables each connection can see
                         (default: the demo catalog). A connection is found by its hostname
                         (case-insensitively) and database; each schema maps its tables to
                         their columns; a POST naming another connection, table or column tag
                         is refused. For example:
                           connections:
                             - hostname: acme.snowflakecomputing.com
                               database: ANALYTICS
                               schemas:
                                 public:
                                   customers: [id, email, country]
                                   orders: [id, customer_id, amount]
  --creation-delay MS    new data sources stay "creating" this long (default 0)
  --max-body-bytes N     larger bodies get 413, and no object is stored larger
                         (default 10485760, 10 MiB)
  --max-yaml-body-bytes N
                         larger YAML bodies get 413 (default 1048576, 1 MiB); a YAML body of
                         more than 50,000 tokens, or whose aliases expand past --max-body-bytes,
                         gets 413 too: send large payloads as JSON
  --max-connections N    open connections at most (default 256); past it, a new connection
                         closes the one idle longest: a stranger's first, then a slow body's,
                         then an authenticated client's kept-alive one
  --headers-timeout S    seconds a client has to send a request's headers (default 10)
  --request-timeout S    seconds a client has to send a whole request, body included
                         (default 30)
  --fault SPEC           inject a fault (repeatable), for tests: comma-separated settings
                         status=CODE, delay=MS, drop, times=N, method=M, kind=K, key=KEY, e.g.
                         --fault status=503,times=2,method=POST,kind=policy,key=mask-pii
                         --fault delay=2000     --fault drop,times=1
  --tls-cert FILE        serve HTTPS with this PEM certificate (with --tls-key)
  --tls-key FILE         the certificate's PEM private key

Exit codes: 0 stopped cleanly, 1 could not start (port in use, unreadable catalog or stored
object), 2 usage error (a bad flag, a bad users file, a data dir it cannot write).
`;

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  "data-dir": { type: "string" },
  "api-key": { type: "string", multiple: true },
  users: { type: "string" },
  catalog: { type: "string" },
  "creation-delay": { type: "string" },
  "max-body-bytes": { type: "string" },
  "max-yaml-body-bytes": { type: "string" },
  "max-connections": { type: "string" },
  "headers-timeout": { type: "string" },
  "request-timeout": { type: "string" },
  fault: { type: "string", multiple: true },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
} as const;

export const command: Command = {
  help,
  async run(args, io) {
    const { values } = parse("serve", args, OPTIONS);
    const path = (file: string | undefined) =>
      file === undefined ? undefined : resolve(io.cwd, file);
    const port = integerFlag("port", values.port) ?? 8080;
    const creationDelayMs = integerFlag("creation-delay", values["creation-delay"]);
    const positive = (flag: keyof typeof values) => {
      const value = integerFlag(flag, values[flag] as string | undefined);
      if (value !== undefined && value < 1) throw new UsageError(`--${flag} must be 1 or more`);
      return value;
    };
    const maxBodyBytes = positive("max-body-bytes");
    const maxYamlBodyBytes = positive("max-yaml-body-bytes");
    const maxConnections = positive("max-connections");
    const headersTimeoutMs = secondsFlag("headers-timeout", values["headers-timeout"]);
    const requestTimeoutMs = secondsFlag("request-timeout", values["request-timeout"]);
    const headersOver =
      (headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS) >
      (requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
    if (headersOver) {
      throw new UsageError(
        "--headers-timeout must not exceed --request-timeout (the headers are part of the request)",
      );
    }
    if (port < 0 || port > 65535) {
      throw new UsageError(`--port must be from 0 to 65535 (got ${port})`);
    }
    if (creationDelayMs !== undefined && creationDelayMs < 0) {
      throw new UsageError("--creation-delay must be 0 or more");
    }
    if ((values["tls-cert"] === undefined) !== (values["tls-key"] === undefined)) {
      throw new UsageError("--tls-cert and --tls-key go together");
    }
    const apiKeys = (values["api-key"] ?? []).map(parseApiKey);
    if (values.users !== undefined) {
      const file = path(values.users)!;
      const users = loadUsers(file, io.env);
      if (users.clearKeys && (statSync(file).mode & 0o077) !== 0) {
        io.stderr.write(
          `immuta-v2 serve: warning: ${values.users} holds keys in clear and other users of this ` +
            `machine can read it: chmod 600 it, or give the keys as { $env: NAME } or keySha256\n`,
        );
      }
      apiKeys.push(...users.keys);
    }
    const tlsCert = path(values["tls-cert"]);
    const tlsKey = path(values["tls-key"]);
    const options: ServerOptions = {
      port,
      host: values.host,
      dataDir: path(values["data-dir"]),
      apiKeys,
      catalog: values.catalog === undefined ? undefined : loadCatalog(path(values.catalog)!),
      faults: (values.fault ?? []).map(parseFault),
      creationDelayMs,
      maxBodyBytes,
      maxYamlBodyBytes,
      maxConnections,
      headersTimeoutMs,
      requestTimeoutMs,
      tlsCert: tlsCert === undefined ? undefined : readPem(tlsCert, "--tls-cert"),
      tlsKey: tlsKey === undefined ? undefined : readPem(tlsKey, "--tls-key"),
    };
    let server: RunningServer;
    try {
      server = await startServer(options);
    } catch (error) {
      if (error instanceof ImmutaError) throw error;
      io.stderr.write(`immuta-v2 serve: cannot start: ${(error as Error).message}\n`);
      return EXIT.failed;
    }
    io.stdout.write(`listening on ${server.url}\n`);
    if (apiKeys.length === 0) {
      io.stderr.write(
        "no --users or --api-key given: accepting any API key, with every permission\n",
      );
    }
    await aborted(io.signal);
    await server.close();
    return EXIT.ok;
  },
};

/**
 * `KEY`, `KEY:PERM,PERM` or `KEY:PERMS:USER` (empty PERMS: every permission). The key ends at the
 * first colon; a key holding one goes in a users file. Errors never repeat the key.
 */
export function parseApiKey(flag: string): ApiKey {
  const first = flag.indexOf(":");
  if (first < 0) {
    if (flag.trim() === "") throw new UsageError("--api-key: the key is empty");
    return { key: flag };
  }
  const key = flag.slice(0, first);
  const rest = flag.slice(first + 1);
  const second = rest.indexOf(":");
  const perms = second < 0 ? rest : rest.slice(0, second);
  const user = second < 0 ? undefined : rest.slice(second + 1);
  if (key.trim() === "") throw new UsageError("--api-key: the key is empty");
  const permissions = perms
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  for (const permission of permissions) {
    if (!(PERMISSIONS as readonly string[]).includes(permission)) {
      throw new UsageError(
        `--api-key KEY[:PERMS[:USER]]: unknown permission "${permission}" (use ` +
          `${PERMISSIONS.join(", ")}; a key holding ":" goes in a --users file)`,
      );
    }
  }
  if (user !== undefined && user.trim() === "") {
    throw new UsageError("--api-key KEY:PERMS:USER: the user name is empty");
  }
  if (user !== undefined && user.includes(key)) {
    throw new UsageError("--api-key KEY:PERMS:USER: the user name must not contain the key");
  }
  return {
    key,
    ...(permissions.length > 0 ? { permissions: permissions as Permission[] } : {}),
    ...(user !== undefined ? { user } : {}),
  };
}

/** A duration flag in seconds (decimals allowed), as milliseconds. */
function secondsFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--${flag} must be a number of seconds above 0 (got "${value}")`);
  }
  return Math.ceil(seconds * 1000);
}

/** The keys of a users file; any problem in it is a usage error naming the file. */
function loadUsers(file: string, env: NodeJS.ProcessEnv) {
  const format = formatOf(file);
  if (!format) throw new UsageError(`--users ${file}: expected a .yaml, .yml or .json file`);
  const documents = parseDocuments(readTextFile(file), file, format);
  if (documents.length !== 1) {
    throw new UsageError(
      `--users ${file}: a users file is one document (found ${documents.length})`,
    );
  }
  try {
    return readUsersFile(documents[0].value, file, env);
  } catch (error) {
    throw new UsageError(`--users ${(error as Error).message}`);
  }
}

function loadCatalog(file: string): Catalog {
  const format = formatOf(file);
  if (!format) throw new UsageError(`--catalog ${file}: expected a .yaml, .yml or .json file`);
  const documents = parseDocuments(readTextFile(file), file, format);
  if (documents.length !== 1) {
    throw new PayloadFileError(`${file}: a catalog is one document (found ${documents.length})`);
  }
  return checkCatalog(documents[0].value, file);
}

function readPem(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new PayloadFileError(
      `${flag} ${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
}

/** Resolves when the signal aborts; never, without one. */
function aborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
