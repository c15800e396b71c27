/**
 * The embedded Immuta V2 API server: `startServer` for tests and tools, `immuta-v2 serve` on the
 * command line. It implements the contract in the spec (`v2-api.md`); where Immuta's documentation
 * is silent, its choices are in `./choices`.
 */
import { Api } from "./api";
import {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_HOST,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_YAML_BODY_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from "./choices";
import { listen } from "./http";
import type { RunningServer, ServerOptions } from "./types";

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be a whole number from 0 to 65535 (got ${port})`);
  }
  const whole = (name: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) {
      throw new RangeError(`${name} must be a whole number, ${min} or more (got ${value})`);
    }
    return value;
  };
  const maxBodyBytes = whole("maxBodyBytes", options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, 1);
  whole("maxYamlBodyBytes", options.maxYamlBodyBytes ?? DEFAULT_MAX_YAML_BODY_BYTES, 1);
  const maxConnections = whole(
    "maxConnections",
    options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    1,
  );
  const headersTimeoutMs = whole(
    "headersTimeoutMs",
    options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
    1,
  );
  const requestTimeoutMs = whole(
    "requestTimeoutMs",
    options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    headersTimeoutMs,
  );
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
    maxConnections,
    headersTimeoutMs,
    requestTimeoutMs,
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
