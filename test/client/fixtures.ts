/** Payloads of each kind, secrets, and the embedded server, shared by the client and CLI tests. */
import { startServer, type RunningServer, type ServerOptions } from "../../src/server";
import type { Kind } from "../../src/payload/kinds";
import { MASK_PII } from "../payload/fixtures";

/** Secret values: no test output may ever contain them (see test/cli/harness.ts). */
export const API_KEY = "api-key-Zq8v3Kp1x";
export const DB_PASSWORD = "db-pass-Wm4n7Rt2y";
export const CLIENT_SECRET = "client-secret-Hc5j9Lq0z";
export const SECRET_VALUES: readonly string[] = [API_KEY, DB_PASSWORD, CLIENT_SECRET];

/** One valid payload per kind, keyed with spaces so that URL-encoding is exercised everywhere. */
export const PAYLOADS = {
  purpose: { name: "Clinical Research", description: "Studies approved by the board" },
  data: {
    connectionKey: "dwh prod",
    connection: {
      handler: "Snowflake",
      hostname: "acme.snowflakecomputing.com",
      port: 443,
      ssl: true,
      database: "ANALYTICS",
      warehouse: "COMPUTE_WH",
      authenticationMethod: "userPassword",
      username: "svc_immuta",
      password: { $env: "DWH_PASSWORD" },
    },
    options: { disableSensitiveDataDiscovery: true },
    sources: [
      { table: "customers", schema: "public" },
      { table: "orders", schema: "public" },
    ],
  },
  policy: { ...MASK_PII, policyKey: "mask pii" },
  project: {
    projectKey: "fraud analysis",
    name: "Fraud analysis",
    purposes: ["Clinical Research"],
  },
} as const satisfies Record<Kind, object>;

export const KEYS: Record<Kind, string> = {
  purpose: "Clinical Research",
  data: "dwh prod",
  policy: "mask pii",
  project: "fraud analysis",
};

/** The environment a CLI or client test runs with: the secrets its payloads name. */
export const SECRET_ENV = { DWH_PASSWORD: DB_PASSWORD, IMMUTA_API_KEY: API_KEY };

const started: RunningServer[] = [];

/** The embedded server on a free port, accepting API_KEY; closed after the test file. */
export async function testServer(options: ServerOptions = {}): Promise<RunningServer> {
  const server = await startServer({ apiKeys: [{ key: API_KEY }], ...options });
  started.push(server);
  return server;
}

afterAll(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});
