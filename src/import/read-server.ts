/**
 * A running V2 server: the keys of each kind (`GET /api/v2/{kind}`), then each object
 * (`GET /api/v2/{kind}/{key}`), a few at a time. Reading back is the embedded server's extension
 * of the V2 API; a server without it fails the import with NoEndpointError, which says so. An
 * object that cannot be read is reported and the others are still imported.
 */
import type { ImmutaClient } from "../client/client";
import { ApiError } from "../errors";
import { KINDS, type Kind } from "../payload/kinds";
import { objectPath } from "../client/client";
import type { RawObject, SourceError } from "./model";
import { selects, selectsKind, type Selection } from "./select";

/** Requests in flight at once: the client's connection pool holds 8. */
const CONCURRENCY = 8;

export interface ServerRead {
  readonly objects: RawObject[];
  readonly errors: SourceError[];
}

export async function readServer(client: ImmutaClient, selection: Selection): Promise<ServerRead> {
  const wanted: { kind: Kind; key: string }[] = [];
  for (const kind of KINDS) {
    if (!selectsKind(selection, kind)) continue;
    for (const key of await client.list(kind)) {
      if (selects(selection, kind, key)) wanted.push({ kind, key });
    }
  }
  const results: (RawObject | SourceError)[] = new Array(wanted.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < wanted.length && !failed) {
      const i = next++;
      const { kind, key } = wanted[i];
      const origin = `GET ${objectPath(kind, key)}`;
      try {
        const value = await client.get(kind, key);
        results[i] = { kind, key, value, origin, fromServer: true };
      } catch (error) {
        // Anything but an answer about this one object (the server gone, a bug) ends the import.
        if (!(error instanceof ApiError)) {
          failed = true;
          throw error;
        }
        results[i] = {
          where: origin,
          message:
            error.status === 404
              ? "listed, then gone before it was read (deleted meanwhile?); not imported"
              : `answered ${error.status}${error.serverMessage ? `: ${error.serverMessage}` : ""}; not imported`,
        };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, wanted.length) }, worker));
  const objects: RawObject[] = [];
  const errors: SourceError[] = [];
  for (const result of results) {
    if ("where" in result) errors.push(result);
    else objects.push(result);
  }
  return { objects, errors };
}
