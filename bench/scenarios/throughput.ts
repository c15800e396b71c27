/**
 * 1,000 sequential small POSTs over keep-alive to the embedded server (in memory) and to a bare
 * `node:http` server answering `{}`, each server in its own process, the same client for both.
 * Every POST to the embedded server is a real update, so its whole write path runs.
 */
import { interleave } from "../lib/interleave";
import { PostClient, purposeUpdates, type Post } from "../lib/post-loop";
import { childScript } from "../lib/processes";
import { CLI_BIN } from "../lib/repo";
import { row, type Scenario } from "../lib/scenario";
import { startServerProcess } from "../lib/server-process";
import { median } from "../lib/stats";

const POSTS = 1_000;
const API_KEY = "bench-throughput-key";
const NAMES = Array.from({ length: 10 }, (_, i) => `Throughput ${i}`);

export const throughput: Scenario = {
  name: "throughput",
  summary: "1,000 sequential small POSTs (keep-alive) to the embedded server vs a bare node:http",
  needsBuild: true,
  async run({ quick }) {
    const bare = childScript("bare-server", []);
    const servers = await Promise.all([
      startServerProcess(process.execPath, [CLI_BIN, "serve", "--port", "0", "--api-key", API_KEY]),
      startServerProcess(bare.command, bare.args),
    ]);
    const [embedded, baseline] = servers.map((s) => new PostClient(s.url, API_KEY));
    try {
      let round = 0;
      const rate = async (client: PostClient, posts: Post[]) =>
        (posts.length * 1000) / (await client.send(posts));
      // Warm-up: connections open, both servers' code optimised.
      await rate(embedded, purposeUpdates(POSTS, NAMES, round));
      await rate(baseline, purposeUpdates(POSTS, NAMES, round));
      const s = await interleave("throughput", quick ? 3 : 9, {
        embedded: () => rate(embedded, purposeUpdates(POSTS, NAMES, ++round)),
        bare: () => rate(baseline, purposeUpdates(POSTS, NAMES, ++round)),
      });
      return [
        row(
          {
            scenario: "throughput",
            measure: "1,000 POSTs: embedded server (memory) vs bare node:http",
            unit: "req/s",
            target: { min: 0.5 },
            samples: { ours: s.embedded, baseline: s.bare },
          },
          median,
        ),
      ];
    } finally {
      await Promise.all([embedded.close(), baseline.close()]);
      await Promise.all(servers.map((s) => s.stop()));
    }
  },
};
