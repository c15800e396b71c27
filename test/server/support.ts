/** Starting the embedded server for a test, and calling it over real HTTP. */
import { Agent, request, type Dispatcher } from "undici";
import { createHash } from "node:crypto";
import { startServer, type RunningServer, type ServerOptions } from "../../src/server";

export interface Answer {
  readonly status: number;
  readonly text: string;
  /** The parsed JSON body (undefined when the body is not JSON). */
  // Loosely typed on purpose: tests read fields of many response shapes.
  readonly body: any;
}

export interface CallOptions {
  /** The Authorization header; null sends none. @default "Bearer test-key" */
  readonly auth?: string | null;
  readonly contentType?: string;
  readonly dispatcher?: Dispatcher;
}

export interface TestServer extends RunningServer {
  call(method: string, path: string, body?: unknown, options?: CallOptions): Promise<Answer>;
  post(kind: string, payload: unknown, query?: string, options?: CallOptions): Promise<Answer>;
}

/** The user an unnamed key acts as: named after a short hash of the key, never the key. */
export const userOfKey = (key: string) =>
  `key-sha256-${createHash("sha256").update(key).digest("hex").slice(0, 12)}`;

/** The user the tests' default key acts as on a server with no keys configured. */
export const TEST_USER = userOfKey("test-key");

const started: RunningServer[] = [];

/** A server on a free port, closed after the test file (or earlier by `close`). */
export async function serve(options: ServerOptions = {}): Promise<TestServer> {
  const server = await startServer(options);
  started.push(server);
  const call = (method: string, path: string, body?: unknown, o: CallOptions = {}) =>
    send(server.url, method, path, body, o);
  return {
    url: server.url,
    requests: () => server.requests(),
    close: () => server.close(),
    call,
    post: (kind, payload, query = "", o) => call("POST", `/api/v2/${kind}${query}`, payload, o),
  };
}

afterAll(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

export async function send(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  const auth = options.auth === undefined ? "Bearer test-key" : options.auth;
  if (auth !== null) headers.authorization = auth;
  let payload: string | Buffer | undefined;
  if (body !== undefined) {
    payload = typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    headers["content-type"] = options.contentType ?? "application/json";
  }
  const response = await request(`${base}${path}`, {
    method: method as Dispatcher.HttpMethod,
    headers,
    body: payload,
    dispatcher: options.dispatcher,
  });
  const text = await response.body.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.statusCode, text, body: parsed };
}

export { Agent };

// ------------------------------------------------------------------------------ payloads

export const ACME = {
  handler: "Snowflake",
  hostname: "acme.snowflakecomputing.com",
  port: 443,
  database: "ANALYTICS",
  warehouse: "COMPUTE_WH",
  username: "svc",
  password: "s3cret",
};

/** A connection to the demo catalog's Snowflake account. */
export function acme(extra: Record<string, unknown> = {}) {
  return { connectionKey: "acme", connection: ACME, ...extra };
}

export function table(name: string, schema = "public", extra: Record<string, unknown> = {}) {
  return { table: name, schema, ...extra };
}

export function purpose(name: string, extra: Record<string, unknown> = {}) {
  return { name, ...extra };
}

export function project(key: string, extra: Record<string, unknown> = {}) {
  return { projectKey: key, name: key, ...extra };
}

export function policy(key: string, extra: Record<string, unknown> = {}) {
  return {
    policyKey: key,
    name: key,
    type: "data",
    actions: [{ rules: [{ type: "Masking", config: { maskingConfig: { type: "Hash" } } }] }],
    ...extra,
  };
}
