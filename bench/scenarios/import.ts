/**
 * `immuta-v2 import` of 10,000 objects (2,500 per kind, the bench's generated payloads) from the
 * embedded server, both formats, against the least any import must do: list the keys and GET
 * every object with the same client, writing nothing. Each side runs in a fresh `node` process
 * (through tsx, from the sources: no build needed) that reports the time inside it and its peak
 * resident memory; the server runs in this process, populated once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import type * as Client from "../../src/client/client";
import type * as Secrets from "../../src/payload/secrets";
import type * as Server from "../../src/server";
import { interleave } from "../lib/interleave";
import {
  catalogFor,
  dataSourcePayload,
  policyPayload,
  projectPayload,
  purposePayload,
} from "../lib/payloads";
import { lastJsonLine, mustRun } from "../lib/processes";
import { progress } from "../lib/progress";
import { REPO } from "../lib/repo";
import { row, type Scenario } from "../lib/scenario";
import { median, since } from "../lib/stats";
import { withTempDir } from "../lib/temp";

const OBJECTS = 10_000;
const API_KEY = "bench-import-key";
/** The generated connections read their password from `DWH_PASSWORD`. */
const SECRET_ENV = { DWH_PASSWORD: "bench-secret" };

interface ChildReport {
  /** From the first line of the work to its end, modules already loaded. */
  readonly ms: number;
  /** Peak resident set size of the whole process, in bytes. */
  readonly maxRssBytes: number;
  readonly objects: number;
}

/**
 * The child: `import` (argv: URL, --format, --out) through the CLI's own `run`, or, for the
 * baseline, the list and GETs alone. It prints one JSON line of what it measured.
 */
const CHILD = `
const { performance } = require("node:perf_hooks");
const [mode, url, format, out] = process.argv.slice(1);
const env = { ...process.env, IMMUTA_API_KEY: ${JSON.stringify(API_KEY)} };
async function main() {
  let objects = 0;
  let started;
  if (mode === "import") {
    const { run } = require(${JSON.stringify(join(REPO, "src", "cli", "run.ts"))});
    const sink = { write: () => true };
    started = performance.now();
    const code = await run(["import", "--from", url, "--out", out, "--format", format, "--json"],
      { stdout: { write: (text) => { objects = JSON.parse(text).objects.length; return true; } },
        stderr: sink, env, cwd: process.cwd() });
    if (code !== 0) throw new Error("import exited " + code);
  } else {
    const { ImmutaClient } = require(${JSON.stringify(join(REPO, "src", "client", "client.ts"))});
    const client = new ImmutaClient({ url, apiKey: env.IMMUTA_API_KEY });
    started = performance.now();
    for (const kind of ["data", "policy", "project", "purpose"]) {
      const keys = await client.list(kind);
      let next = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next < keys.length) { await client.get(kind, keys[next++]); objects++; }
      }));
    }
    await client.close();
  }
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, objects }) + "\\n");
}
main().catch((error) => { process.stderr.write(String(error && error.stack || error) + "\\n"); process.exitCode = 1; });
`;

async function child(args: readonly string[]): Promise<ChildReport> {
  const tsx = require.resolve("tsx/cjs");
  const result = await mustRun(process.execPath, ["--require", tsx, "-e", CHILD, "--", ...args]);
  const report = lastJsonLine<ChildReport>(result.stdout);
  if (report.objects !== OBJECTS) {
    throw new Error(`${args[0]}: ${report.objects} objects, expected ${OBJECTS}`);
  }
  return report;
}

/** The embedded server holding the generated tenant, populated through its API. */
async function populatedServer(): Promise<{ server: Server.RunningServer; seconds: number }> {
  const { startServer } = require(join(REPO, "src", "server")) as typeof Server;
  const { ImmutaClient } = require(join(REPO, "src", "client", "client")) as typeof Client;
  const { resolveSecrets } = require(join(REPO, "src", "payload", "secrets")) as typeof Secrets;
  const perKind = OBJECTS / 4;
  const server = await startServer({ catalog: catalogFor(perKind), apiKeys: [{ key: API_KEY }] });
  const client = new ImmutaClient({ url: server.url, apiKey: API_KEY });
  const started = performance.now();
  try {
    // What others name first: purposes and connections before the projects naming them.
    const batches = [
      (i: number) => client.apply("purpose", purposePayload(i)),
      (i: number) => client.apply("data", resolveSecrets(dataSourcePayload(i), SECRET_ENV).payload),
      (i: number) => client.apply("policy", policyPayload(i)),
      (i: number) => client.apply("project", projectPayload(i)),
    ];
    for (const send of batches) {
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < perKind) await send(next++);
        }),
      );
    }
  } catch (error) {
    await server.close();
    throw error;
  } finally {
    await client.close();
  }
  return { server, seconds: since(started) / 1000 };
}

export const importScenario: Scenario = {
  name: "import",
  summary:
    "immuta-v2 import of 10,000 objects from the embedded server vs listing and GETting them",
  needsBuild: false,
  run: ({ quick }) =>
    withTempDir(
      "import",
      async (dir) => {
        const { server, seconds } = await populatedServer();
        progress(
          `import: ${OBJECTS.toLocaleString("en-US")} objects POSTed in ${seconds.toFixed(1)} s`,
        );
        const reports: Record<"files" | "ts" | "read", ChildReport[]> = {
          files: [],
          ts: [],
          read: [],
        };
        const importing = (format: "files" | "ts") => async () => {
          const out = mkdtempSync(join(dir, `${format}-`));
          const report = await child(["import", server.url, format, out]);
          rmSync(out, { recursive: true, force: true });
          reports[format].push(report);
          return report.ms / 1000;
        };
        try {
          await interleave("import", quick ? 1 : 3, {
            files: importing("files"),
            ts: importing("ts"),
            read: async () => {
              const report = await child(["read", server.url]);
              reports.read.push(report);
              return report.ms / 1000;
            },
          });
        } finally {
          await server.close();
        }
        const seconds_ = (list: ChildReport[]) => list.map((r) => r.ms / 1000);
        const mb = (list: ChildReport[]) => list.map((r) => r.maxRssBytes / 1e6);
        const rate = (list: ChildReport[]) =>
          `${(OBJECTS / median(seconds_(list))).toFixed(0)} objects/s`;
        const memoryNote = `peak RSS (MB), whole process with tsx: files ${median(mb(reports.files)).toFixed(0)}, ts ${median(mb(reports.ts)).toFixed(0)}, reading alone ${median(mb(reports.read)).toFixed(0)}`;
        return [
          ...(["files", "ts"] as const).map((format) =>
            row(
              {
                scenario: "import",
                measure: `import 10,000 objects --format ${format} vs list + GET of them`,
                unit: "s",
                samples: { ours: seconds_(reports[format]), baseline: seconds_(reports.read) },
                notes: [
                  `--format ${format}: ${rate(reports[format])}; list + GET alone ${rate(reports.read)}`,
                ],
              },
              median,
            ),
          ),
          ...(["files", "ts"] as const).map((format) =>
            row(
              {
                scenario: "import",
                measure: `peak RSS importing 10,000 objects --format ${format} vs list + GET`,
                unit: "MB",
                samples: { ours: mb(reports[format]), baseline: mb(reports.read) },
                notes: format === "ts" ? [memoryNote] : [],
              },
              median,
            ),
          ),
        ];
      },
      { removeInBackground: true },
    ),
};
