/**
 * `npm run bench [-- SCENARIO...] [--quick]`: runs the benchmarks of issue 8, each side by side
 * with its baseline in the same run, prints a table of medians and ratios against the targets,
 * and writes bench/results/latest.json. Progress goes to stderr, the table to stdout.
 */
import { ensureBuilt } from "./lib/build";
import { discardOffered } from "./lib/handoff";
import { progress } from "./lib/progress";
import { table, writeResults } from "./lib/report";
import type { Row, Scenario } from "./lib/scenario";
import { since } from "./lib/stats";
import { SCENARIOS } from "./scenarios";

function usage(): string {
  const width = Math.max(...SCENARIOS.map((s) => s.name.length));
  return [
    "Usage: npm run bench [-- [SCENARIO...] [--quick]]",
    "",
    "Runs every scenario (or the ones named), each several times side by side with its baseline,",
    "prints medians and ratios against the targets and writes bench/results/latest.json.",
    "",
    "Scenarios:",
    ...SCENARIOS.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`),
    "",
    "Options:",
    "  --quick   fewer repetitions (rougher figures), for trying the bench out",
    "  --help    this text",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const quick = argv.includes("--quick");
  const names = argv.filter((a) => !a.startsWith("-"));
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  const flags = argv.filter((a) => a.startsWith("-") && a !== "--quick");
  if (unknown.length > 0 || flags.length > 0) {
    process.stderr.write(`unknown scenario or option: ${[...unknown, ...flags].join(", ")}\n\n`);
    process.stderr.write(`${usage()}\n`);
    return 2;
  }
  const chosen: readonly Scenario[] =
    names.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => names.includes(s.name));

  const start = performance.now();
  if (chosen.some((s) => s.needsBuild)) await ensureBuilt();
  const rows: Row[] = [];
  try {
    for (const scenario of chosen) {
      progress(`${scenario.name}: ${scenario.summary}`);
      const begun = performance.now();
      rows.push(...(await scenario.run({ quick })));
      progress(`${scenario.name}: done in ${(since(begun) / 1000).toFixed(1)} s`);
    }
  } finally {
    await discardOffered();
  }
  const wall = since(start);
  const path = writeResults(
    rows,
    wall,
    chosen.map((s) => s.name),
  );
  process.stdout.write(
    `\n${table(rows)}\n\nWall time: ${(wall / 1000).toFixed(0)} s. Results: ${path}\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
