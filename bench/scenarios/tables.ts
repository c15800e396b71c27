/**
 * One data source POST (a connection's every table, each with a column tag) of 10,000 tables
 * against one of 5,000: created, then updated (a table tag added to every table), then deleted
 * untimed, so that each repetition creates afresh. Twice the tables may cost at most 2.3 times.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CatalogSchemas, DataSourcePayload } from "../../src";
import { PostClient } from "../lib/post-loop";
import { progress } from "../lib/progress";
import { CLI_BIN } from "../lib/repo";
import { row, type Scenario } from "../lib/scenario";
import { startServerProcess } from "../lib/server-process";
import { median } from "../lib/stats";
import { withTempDir } from "../lib/temp";

const API_KEY = "bench-tables-key";
const COLUMNS = ["id", "email", "name", "amount", "created_at"];
const tableName = (i: number) => `t${String(i).padStart(5, "0")}`;

function connection(tables: number) {
  return { hostname: `tables-${tables}.example.com`, database: "WIDE" };
}

function schemas(tables: number): CatalogSchemas {
  const publicTables: Record<string, string[]> = {};
  for (let i = 0; i < tables; i++) publicTables[tableName(i)] = COLUMNS;
  return { public: publicTables };
}

function payload(tables: number, tableTags: string[]): DataSourcePayload {
  return {
    connectionKey: `wide-${tables}`,
    connection: {
      handler: "Snowflake",
      ...connection(tables),
      warehouse: "WH",
      authenticationMethod: "userPassword",
      username: "immuta",
      password: "not-a-secret",
    },
    options: { hardDelete: true, tableTags },
    sources: Array.from({ length: tables }, (_, i) => ({
      schema: "public",
      table: tableName(i),
      tags: { columns: [{ columnName: "email", tags: ["PII"] }] },
    })),
  };
}

export const tables: Scenario = {
  name: "tables",
  summary: "POST of a 10,000-table data source vs a 5,000-table one (create, then update)",
  needsBuild: true,
  run: ({ quick }) =>
    withTempDir("tables", async (dir) => {
      const catalog = join(dir, "catalog.json");
      const sizes: readonly number[] = [10_000, 5_000];
      writeFileSync(
        catalog,
        JSON.stringify({
          connections: sizes.map((n) => ({ ...connection(n), schemas: schemas(n) })),
        }),
      );
      const server = await startServerProcess(process.execPath, [
        CLI_BIN,
        ...["serve", "--port", "0", "--api-key", API_KEY, "--catalog", catalog],
      ]);
      const client = new PostClient(server.url, API_KEY);
      try {
        const bodies = new Map(
          sizes.map((n) => [
            n,
            {
              create: JSON.stringify(payload(n, ["Source.Wide"])),
              update: JSON.stringify(payload(n, ["Source.Wide", "Reviewed"])),
            },
          ]),
        );
        const times = { create: new Map<number, number[]>(), update: new Map<number, number[]>() };
        for (const n of sizes) [times.create, times.update].forEach((m) => m.set(n, []));
        const cycle = async (n: number, record: boolean) => {
          const { create, update } = bodies.get(n)!;
          const created = await client.send([{ path: "/api/v2/data", body: create }]);
          const updated = await client.send([{ path: "/api/v2/data", body: update }]);
          await client.delete(`/api/v2/data/wide-${n}`);
          if (record) {
            times.create.get(n)!.push(created);
            times.update.get(n)!.push(updated);
          }
        };
        // Warm-up: the server's code optimised on this shape of payload.
        for (const n of sizes) await cycle(n, false);
        const reps = quick ? 3 : 11;
        for (let i = 0; i < reps; i++) {
          for (const n of i % 2 === 0 ? sizes : [...sizes].reverse()) await cycle(n, true);
          const last = (m: Map<number, number[]>, n: number) => m.get(n)!.at(-1)!.toFixed(0);
          progress(
            `tables: ${i + 1}/${reps} (create ${last(times.create, 10_000)} / ${last(times.create, 5_000)} ms, ` +
              `update ${last(times.update, 10_000)} / ${last(times.update, 5_000)} ms)`,
          );
        }
        const bytes = (n: number) => (bodies.get(n)!.create.length / 1e6).toFixed(2);
        return (["create", "update"] as const).map((step) =>
          row(
            {
              scenario: "tables",
              measure: `POST data source, ${step}: 10,000 tables vs 5,000`,
              unit: "ms",
              target: { max: 2.3 },
              samples: { ours: times[step].get(10_000)!, baseline: times[step].get(5_000)! },
              notes:
                step === "create"
                  ? [
                      `payloads of ${bytes(10_000)} MB and ${bytes(5_000)} MB; timed from send to answer`,
                    ]
                  : [],
            },
            median,
          ),
        );
      } finally {
        await client.close();
        await server.stop();
      }
    }),
};
