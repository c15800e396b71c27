/**
 * `immuta-v2 apply` of one small payload against a local server, against a bare `node -e ''`: the
 * cost of every changed object in a deploy is one such process. The server runs in its own
 * process (`immuta-v2 serve`), so only the CLI's start, one POST and its exit are timed.
 * Also timed in the same rotation: one POST through undici's `request` and through `node:http`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { interleave } from "../lib/interleave";
import { NODE_HTTP_POST, UNDICI_POST, UNDICI_REQUIRE } from "../lib/one-post";
import { mustRun } from "../lib/processes";
import { CLI_BIN, REPO } from "../lib/repo";
import { pairedRow, row, type Row, type Scenario } from "../lib/scenario";
import { startServerProcess } from "../lib/server-process";
import { median } from "../lib/stats";
import { withTempDir } from "../lib/temp";

const API_KEY = "bench-startup-key";
const SMALL = { name: "Bench startup", description: "One small purpose", acknowledgement: "Yes." };

export const startup: Scenario = {
  name: "startup",
  summary: "immuta-v2 apply of one small payload vs node -e '' (and undici vs node:http, 1 POST)",
  needsBuild: true,
  run: ({ quick }) =>
    withTempDir("startup", async (dir) => {
      const file = join(dir, "small.json");
      const body = JSON.stringify(SMALL);
      writeFileSync(file, body);
      const server = await startServerProcess(process.execPath, [
        CLI_BIN,
        "serve",
        "--port",
        "0",
        "--api-key",
        API_KEY,
      ]);
      try {
        const env = { ...process.env, IMMUTA_URL: server.url, IMMUTA_API_KEY: API_KEY };
        const postEnv = { ...process.env, URL: server.url, KEY: API_KEY, BODY: body };
        const node = (args: string[], e: NodeJS.ProcessEnv) => async () =>
          (await mustRun(process.execPath, args, { cwd: REPO, env: e })).ms;
        const measures = {
          apply: node([CLI_BIN, "apply", "--kind", "purpose", "--file", file], env),
          bare: node(["-e", ""], process.env),
          undiciPost: node(["-e", UNDICI_POST], postEnv),
          httpPost: node(["-e", NODE_HTTP_POST], postEnv),
          undiciRequire: node(["-e", UNDICI_REQUIRE], process.env),
        };
        // One untimed round: the first run creates the purpose and warms the file cache.
        for (const measure of Object.values(measures)) await measure();
        // 40 repetitions: a process start varies by tens of milliseconds on a shared machine.
        const s = await interleave("startup", quick ? 6 : 40, measures);
        const paired = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i])).toFixed(2);
        const m = (values: number[]) => median(values).toFixed(0);
        const vsBare = (values: number[]) => (median(values) / median(s.bare)).toFixed(2);
        return [
          pairedRow(
            {
              scenario: "startup",
              measure: "immuta-v2 apply, 1 small payload vs node -e '' (paired)",
              unit: "ms",
              target: { max: 1.3 },
              samples: { ours: s.apply, baseline: s.bare },
              notes: [
                `ratio: median of the ${s.apply.length} per-repetition ratios (ratio of medians ` +
                  `${(median(s.apply) / median(s.bare)).toFixed(2)}x); apply vs one bare ` +
                  `node:http POST, the floor for any Node HTTP client: ${paired(s.apply, s.httpPost)}x`,
              ],
            },
            median,
          ),
          row(
            {
              scenario: "startup",
              measure: "1 POST: undici request vs node:http (extra)",
              unit: "ms",
              samples: { ours: s.undiciPost, baseline: s.httpPost },
              notes: [
                `node -e '' ${m(s.bare)} ms; 1 POST with node:http ${m(s.httpPost)} ms ` +
                  `(${vsBare(s.httpPost)}x); with require("undici").request ${m(s.undiciPost)} ms ` +
                  `(${vsBare(s.undiciPost)}x); require("undici") alone ${m(s.undiciRequire)} ms ` +
                  `(${vsBare(s.undiciRequire)}x)`,
              ],
            },
            median,
          ),
        ] satisfies Row[];
      } finally {
        await server.stop();
      }
    }),
};
