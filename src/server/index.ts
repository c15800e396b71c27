/**
 * The embedded Immuta V2 API server: `startServer` for tests and tools, `immuta-v2 serve` on the
 * command line. It implements the contract in the spec (`v2-api.md`); where Immuta's documentation
 * is silent, its choices are in `./choices`.
 */
import { Api } from "./api";
import { DEFAULT_HOST, DEFAULT_MAX_BODY_BYTES } from "./choices";
import { listen } from "./http";
import type { RunningServer, ServerOptions } from "./types";

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be a whole number from 0 to 65535 (got ${port})`);
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new RangeError(
      `maxBodyBytes must be a whole number of bytes, 1 or more (got ${maxBodyBytes})`,
    );
  }
  const logLimit = options.requestLogLimit;
  if (logLimit !== undefined && !(Number.isInteger(logLimit) && logLimit >= 0)) {
    throw new RangeError(`requestLogLimit must be a whole number, 0 or more (got ${logLimit})`);
  }
  const creationDelayMs = options.creationDelayMs ?? 0;
  if (!Number.isFinite(creationDelayMs) || creationDelayMs < 0) {
    throw new RangeError(`creationDelayMs must be 0 or more (got ${creationDelayMs})`);
  }
  const api = new Api(options);
  const listening = await listen(api, {
    port,
    host: options.host ?? DEFAULT_HOST,
    maxBodyBytes,
    tlsCert: options.tlsCert,
    tlsKey: options.tlsKey,
  }).catch(async (error: unknown) => {
    await api.close(); // release the data directory before reporting (port in use, bad cert)
    throw error;
  });
  return { url: listening.url, close: () => listening.close(), requests: () => api.requests() };
}

export { checkCatalog } from "./catalog";
export { DEFAULT_CATALOG } from "./default-catalog";
export { parseFault } from "./faults";
export * from "./types";
