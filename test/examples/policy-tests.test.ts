/**
 * examples/policy-tests works as a user would run it: its jest suite, under its own jest config
 * (this repository standing in for the installed package), passes; and its app synthesizes a
 * stack that `immuta-v2 access` answers for, as its README shows.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli } from "../cli/harness";
import { REPO, run } from "../e2e/terraform";

jest.setTimeout(180_000);

const EXAMPLE = join(REPO, "examples", "policy-tests");

/** The example's jest config with the package's module names resolved to this repository. */
function configForThisRepository(): object {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const own = require(join(EXAMPLE, "jest.config.js")) as { setupFilesAfterEnv?: string[] };
  const inRepo: Record<string, string> = {
    "cdktf-immuta": join(REPO, "src", "index.ts"),
    "cdktf-immuta/testing": join(REPO, "src", "testing", "index.ts"),
    "cdktf-immuta/testing/setup": join(REPO, "src", "testing", "setup.ts"),
  };
  return {
    ...own,
    rootDir: EXAMPLE,
    // Type-checking is tsc's job (the example is part of the repository's typecheck).
    transform: {
      "^.+\\.ts$": ["ts-jest", { tsconfig: join(REPO, "tsconfig.jest.json") }],
    },
    moduleNameMapper: Object.fromEntries(
      Object.entries(inRepo).map(([name, file]) => [`^${name.replace(/\//g, "\\/")}$`, file]),
    ),
    // Setup files are resolved as paths, not through moduleNameMapper.
    setupFilesAfterEnv: (own.setupFilesAfterEnv ?? []).map((entry) => inRepo[entry] ?? entry),
  };
}

test("the example's access tests pass under its jest config", async () => {
  const config = configForThisRepository();
  expect((config as { setupFilesAfterEnv: string[] }).setupFilesAfterEnv).toEqual([
    join(REPO, "src", "testing", "setup.ts"),
  ]);
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("JEST_")) delete env[name];
  const result = await run(
    process.execPath,
    [
      join(REPO, "node_modules", "jest", "bin", "jest.js"),
      "--config",
      JSON.stringify(config),
      "--ci",
      "--runInBand",
      "--json",
    ],
    { cwd: REPO, env },
  );
  const report = JSON.parse(result.stdout) as {
    success: boolean;
    numTotalTests: number;
    numPassedTests: number;
    testResults: { name: string; message: string }[];
  };
  if (!report.success) throw new Error(result.stderr);
  expect(report.testResults.map((r) => r.name)).toEqual([join(EXAMPLE, "access.test.ts")]);
  // Five personas (the analyst's and contractor's tests run per table) and the failure message.
  expect(report.numPassedTests).toBe(report.numTotalTests);
  expect(report.numTotalTests).toBeGreaterThanOrEqual(10);
});

test("the example's app synthesizes a stack that immuta-v2 access answers for", async () => {
  const outdir = mkdtempSync(join(tmpdir(), "policy-tests-"));
  try {
    const synth = await run(join(REPO, "node_modules", ".bin", "tsx"), ["main.ts"], {
      cwd: EXAMPLE,
      env: { ...process.env, CDKTF_OUTDIR: outdir },
    });
    if (synth.code !== 0) throw new Error(`synth failed:\n${synth.output}`);
    const answer = await cli(
      [
        "access",
        "--stack-dir",
        join(outdir, "stacks", "policy-tests"),
        "--catalog",
        join(EXAMPLE, "catalog.yaml"),
        "--groups",
        "Analysts",
      ],
      { cwd: EXAMPLE },
    );
    expect(answer).toMatchObject({ code: 0, stderr: "" });
    expect(answer.stdout).toMatch(/^public\.customers +yes +automatic +masked: email \(Hash\) /m);
    expect(answer.stdout).toMatch(/^public\.orders +yes +automatic +clear /m);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
