/**
 * The same sequential POSTs as `throughput`, to the embedded server with a data directory (every
 * write atomic and fsynced), one server holding 10 objects and one holding 100,000: a write
 * touches only its own object's file, so it must not cost more with a larger store.
 */
import { join } from "node:path";
import { interleave } from "../lib/interleave";
import { populateStore, STORED_PURPOSES } from "../lib/populate-store";
import { PostClient, purposeUpdates } from "../lib/post-loop";
import { progress } from "../lib/progress";
import { CLI_BIN } from "../lib/repo";
import { row, type Scenario } from "../lib/scenario";
import { startServerProcess } from "../lib/server-process";
import { median, since } from "../lib/stats";
import { withTempDir } from "../lib/temp";

const POSTS = 1_000;
const SMALL = 10;
const LARGE = 100_000;
const API_KEY = "bench-store-key";

export const store: Scenario = {
  name: "store",
  summary: "1,000 POSTs with --data-dir: 100,000 objects stored vs 10",
  needsBuild: true,
  run: ({ quick }) =>
    withTempDir(
      "store",
      async (dir) => {
        const [small, large] = [join(dir, "small"), join(dir, "large")];
        let start = performance.now();
        populateStore(small, SMALL);
        populateStore(large, LARGE);
        const populateS = since(start) / 1000;
        progress(
          `store: ${LARGE.toLocaleString("en-US")} objects written in ${populateS.toFixed(1)} s`,
        );
        const serve = (dataDir: string) =>
          startServerProcess(process.execPath, [
            CLI_BIN,
            ...["serve", "--port", "0", "--api-key", API_KEY, "--data-dir", dataDir],
          ]);
        start = performance.now();
        const smallServer = await serve(small);
        const largeServer = await serve(large);
        const loadS = since(start) / 1000;
        const servers = [smallServer, largeServer];
        const [smallClient, largeClient] = servers.map((s) => new PostClient(s.url, API_KEY));
        try {
          let round = 0;
          const send = (client: PostClient, count: number) =>
            client.send(purposeUpdates(count, STORED_PURPOSES, ++round));
          await send(smallClient, 200);
          await send(largeClient, 200);
          const s = await interleave("store", quick ? 2 : 5, {
            large: () => send(largeClient, POSTS),
            small: () => send(smallClient, POSTS),
          });
          const rate = (values: number[]) => ((POSTS * 1000) / median(values)).toFixed(0);
          return [
            row(
              {
                scenario: "store",
                measure: "1,000 POSTs, --data-dir: 100,000 objects stored vs 10",
                unit: "ms",
                target: { max: 1.5 },
                samples: { ours: s.large, baseline: s.small },
                notes: [
                  `${rate(s.large)} vs ${rate(s.small)} req/s (every POST an update: a file written ` +
                    `and fsynced, then the directory fsynced); writing the 100,000 files took ` +
                    `${populateS.toFixed(1)} s, starting both servers (loading them) ${loadS.toFixed(1)} s`,
                ],
              },
              median,
            ),
          ];
        } finally {
          await Promise.all([smallClient.close(), largeClient.close()]);
          await Promise.all(servers.map((s) => s.stop()));
        }
      },
      { removeInBackground: true },
    ),
};
