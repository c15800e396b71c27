/** `immuta-v2 serve`: the embedded V2 API server, until SIGINT or SIGTERM. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ImmutaError, PayloadFileError, UsageError } from "../../errors";
import { readTextFile } from "../../payload/load";
import { formatOf, parseDocuments } from "../../payload/parse";
import { checkCatalog } from "../../server/catalog";
import { parseFault } from "../../server/faults";
import { startServer } from "../../server/index";
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

Options:
  --port N               port to listen on; 0 picks a free one (default 8080)
  --host HOST            address to bind (default 127.0.0.1)
  --data-dir DIR         keep state in DIR, one file per object, across restarts
                         (default: in memory only)
  --api-key KEY[:PERMS]  accept this API key (repeatable); PERMS limits it to a comma-separated
                         list of CREATE_DATA_SOURCE, GOVERNANCE, CREATE_PROJECT (default: all).
                         Without --api-key, any key is accepted with every permission.
  --catalog FILE         YAML or JSON catalog of the tables each connection can see
                         (default: the demo catalog)
  --creation-delay MS    new data sources stay "creating" this long (default 0)
  --max-body-bytes N     larger bodies get 413 (default 10485760, 10 MiB)
  --fault SPEC           inject a fault (repeatable), for tests: comma-separated settings
                         status=CODE, delay=MS, drop, times=N, method=M, kind=K, key=KEY, e.g.
                         --fault status=503,times=2,method=POST,kind=policy,key=mask-pii
                         --fault delay=2000     --fault drop,times=1
  --tls-cert FILE        serve HTTPS with this PEM certificate (with --tls-key)
  --tls-key FILE         the certificate's PEM private key

Exit codes: 0 stopped cleanly, 1 could not start (port in use, unreadable data dir or catalog),
2 usage error.
`;

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  "data-dir": { type: "string" },
  "api-key": { type: "string", multiple: true },
  catalog: { type: "string" },
  "creation-delay": { type: "string" },
  "max-body-bytes": { type: "string" },
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
    const maxBodyBytes = integerFlag("max-body-bytes", values["max-body-bytes"]);
    if (port < 0 || port > 65535) {
      throw new UsageError(`--port must be from 0 to 65535 (got ${port})`);
    }
    if (creationDelayMs !== undefined && creationDelayMs < 0) {
      throw new UsageError("--creation-delay must be 0 or more");
    }
    if (maxBodyBytes !== undefined && maxBodyBytes < 1) {
      throw new UsageError("--max-body-bytes must be 1 or more");
    }
    if ((values["tls-cert"] === undefined) !== (values["tls-key"] === undefined)) {
      throw new UsageError("--tls-cert and --tls-key go together");
    }
    const apiKeys = (values["api-key"] ?? []).map(parseApiKey);
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
      io.stderr.write("no --api-key given: accepting any API key, with every permission\n");
    }
    await aborted(io.signal);
    await server.close();
    return EXIT.ok;
  },
};

/** `KEY` or `KEY:PERM,PERM`. */
export function parseApiKey(flag: string): ApiKey {
  const colon = flag.lastIndexOf(":");
  if (colon < 0) return { key: flag };
  const key = flag.slice(0, colon);
  const permissions = flag
    .slice(colon + 1)
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  for (const permission of permissions) {
    if (!(PERMISSIONS as readonly string[]).includes(permission)) {
      throw new UsageError(
        `--api-key: unknown permission "${permission}" (use ${PERMISSIONS.join(", ")})`,
      );
    }
  }
  if (key === "") throw new UsageError("--api-key: the key is empty");
  return { key, permissions: permissions as Permission[] };
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
