/**
 * Run with --expose-gc: the embedded server (compiled, in this process) filled with 100,000 data
 * sources through its HTTP API, 1,000 connections of 100 tables each; reports the heap it holds
 * afterwards (after full collections), against the JSON size of the payloads that made it.
 */
import type * as Server from "../../src/server";
import type { CatalogSchemas, DataSourcePayload } from "../../src";
import { PostClient } from "../lib/post-loop";
import { LIB_INDEX } from "../lib/repo";

const CONNECTIONS = Number(process.argv[2] ?? 1_000);
const TABLES = Number(process.argv[3] ?? 100);
const API_KEY = "bench-memory-key";
const COLUMNS = ["id", "email", "name", "amount", "created_at"];

// Every connection sees the same tables (one shared object: the catalog is not what is measured).
const TABLE_NAMES = Array.from({ length: TABLES }, (_, i) => `table_${i}`);
const schemas: CatalogSchemas = {
  sales: Object.fromEntries(TABLE_NAMES.map((t) => [t, COLUMNS])),
};
const connection = (i: number) => ({ hostname: `mem-${i}.example.com`, database: `DB_${i}` });

function payload(i: number): DataSourcePayload {
  return {
    connectionKey: `memory-${i}`,
    connection: {
      handler: "Snowflake",
      ...connection(i),
      warehouse: "WH",
      authenticationMethod: "userPassword",
      username: "immuta",
      password: "not-a-secret", // the server refuses placeholders: the CLI resolves them
    },
    // Names are unique across the tenant: the database keeps them apart.
    nameTemplate: { dataSourceFormat: "<database>.<schema>.<tablename>" },
    options: { tableTags: ["Source.Memory"] },
    sources: TABLE_NAMES.map((table, t) => ({
      schema: "sales",
      table,
      ...(t % 4 === 0 ? { tags: { columns: [{ columnName: "email", tags: ["PII"] }] } } : {}),
    })),
  };
}

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

async function main() {
  const { startServer } = require(LIB_INDEX) as typeof Server;
  const catalog = {
    connections: Array.from({ length: CONNECTIONS }, (_, i) => ({ ...connection(i), schemas })),
  };
  const server = await startServer({ catalog, apiKeys: [{ key: API_KEY }] });
  const client = new PostClient(server.url, API_KEY);
  let bytes = 0;
  let before: number;
  let after: number;
  try {
    // Warm-up: one connection created and deleted, so code and client state exist beforehand.
    await client.send([{ path: "/api/v2/data", body: JSON.stringify(payload(0)) }]);
    await client.delete("/api/v2/data/memory-0");
    before = heapAfterGc();
    for (let i = 0; i < CONNECTIONS; i++) {
      const body = JSON.stringify(payload(i));
      bytes += Buffer.byteLength(body);
      await client.send([{ path: "/api/v2/data", body }]);
    }
    after = heapAfterGc();
  } finally {
    await client.close();
    await server.close();
  }
  process.stdout.write(
    `${JSON.stringify({ heapBytes: after - before, payloadBytes: bytes, sources: CONNECTIONS * TABLES })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
