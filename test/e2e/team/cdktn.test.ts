/**
 * Issue 16.4: the library in a CDK Terrain app (`cdktn`, the community fork of cdktf) as in a
 * cdktf app. The quickstart, with its `cdktf` import turned into `cdktn`, is synthesized in an app
 * laid out as npm lays one out (node_modules/cdktn, constructs at the version cdktn accepts, and
 * this package, as built in lib/), then deployed straight with terraform (the cdktn CLI needs
 * Node 22). A resolve hook refuses `cdktf` in that process, so nothing can lean on it.
 *
 * Also how the library picks its CDK package when both are installed: the one the app loaded.
 */
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer } from "../../../src/server";
import { REPO, run, terraform, terraformEnv } from "../terraform";

jest.setTimeout(240_000);

const API_KEY = "cdktn-key";
/** Where npm installed the cdktn app's own packages (package.json: cdktf-immuta-cdktn-app). */
const CDKTN_MODULES = join(REPO, "test", "e2e", "team", "cdktn-app", "node_modules");
const QUICKSTART = join(REPO, "examples", "quickstart");

const QUICKSTART_WRITES = [
  "POST data acme-warehouse",
  "POST policy analysts-subscribe",
  "POST policy mask-pii",
  "POST project fraud-analysis",
  "POST purpose Marketing",
  "POST purpose Research",
];

/** Refuses to resolve cdktf (and cdktf/...), as in an app that never installed it. */
const REFUSE_CDKTF = `
const Module = require("node:module");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (/^cdktf(\\/|$)/.test(request)) {
    const error = new Error("Cannot find module '" + request + "' (refused: this app has no cdktf)");
    error.code = "MODULE_NOT_FOUND";
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
`;

/** Printed last by each app: the library's choice, and whether any cdktf module was loaded. */
const REPORT = `
process.stdout.write(JSON.stringify({
  cdk: require("cdktf-immuta").CDK_PACKAGE,
  cdktfLoaded: Object.keys(require.cache).some((p) => /[\\\\/]cdktf[\\\\/]lib[\\\\/]/.test(p)),
  cdktnLoaded: Object.keys(require.cache).some((p) => /[\\\\/]cdktn[\\\\/]lib[\\\\/]/.test(p)),
}) + "\\n");
`;

interface Report {
  readonly cdk: string;
  readonly cdktfLoaded: boolean;
  readonly cdktnLoaded: boolean;
}

describe("CDK Terrain (cdktn)", () => {
  let app: string;
  beforeAll(() => {
    app = mkdtempSync(join(tmpdir(), "immuta-cdktn-app-"));
    // As `npm install cdktn constructs cdktf-immuta` would lay it out, with cdktf beside (as
    // cdktf-cli or a @cdktf/provider-* package brings it): the first test refuses it.
    mkdirSync(join(app, "node_modules"));
    symlinkSync(join(CDKTN_MODULES, "cdktn"), join(app, "node_modules", "cdktn"));
    symlinkSync(join(CDKTN_MODULES, "constructs"), join(app, "node_modules", "constructs"));
    symlinkSync(join(REPO, "node_modules", "cdktf"), join(app, "node_modules", "cdktf"));
    symlinkSync(REPO, join(app, "node_modules", "cdktf-immuta"));
    writeFileSync(join(app, "refuse-cdktf.cjs"), REFUSE_CDKTF);
  });
  afterAll(() => rmSync(app, { recursive: true, force: true }));

  /**
   * The quickstart's TypeScript files in a folder of the app, importing `cdk` where they import
   * "cdktf", its main.ts ending with the REPORT; returns main.ts.
   */
  function quickstart(cdk: "cdktf" | "cdktn"): string {
    const dir = join(app, cdk);
    mkdirSync(dir, { recursive: true });
    const files = readdirSync(QUICKSTART).filter((f) => f.endsWith(".ts"));
    expect(files).toContain("main.ts");
    for (const file of files) {
      const text = readFileSync(join(QUICKSTART, file), "utf8").replace(
        /from "cdktf";/g,
        `from "${cdk}";`,
      );
      writeFileSync(join(dir, file), file === "main.ts" ? `${text}${REPORT}` : text);
    }
    expect(readFileSync(join(dir, "main.ts"), "utf8")).toContain(`from "${cdk}";`);
    return join(dir, "main.ts");
  }

  /** Runs an app file (TypeScript, through tsx) in the app directory, as `npx tsx` would. */
  async function synth(
    main: string,
    outdir: string,
    options: { refuseCdktf?: boolean; env?: NodeJS.ProcessEnv } = {},
  ): Promise<Report> {
    const result = await run(
      process.execPath,
      [
        // Node keeps the app's node_modules paths (the links), as a real install has them.
        "--preserve-symlinks",
        ...(options.refuseCdktf ? ["--require", join(app, "refuse-cdktf.cjs")] : []),
        "--require",
        require.resolve("tsx/cjs"),
        main,
      ],
      {
        cwd: app,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          CDKTF_OUTDIR: outdir,
          ...options.env,
        },
      },
    );
    expect({ code: result.code, stderr: result.code === 0 ? "" : result.output }).toEqual({
      code: 0,
      stderr: "",
    });
    const lines = result.stdout.trim().split("\n");
    return JSON.parse(lines[lines.length - 1]) as Report;
  }

  it("deploys the quickstart from a cdktn app in which cdktf cannot be resolved", async () => {
    const outdir = join(app, "cdktn.out");
    const report = await synth(quickstart("cdktn"), outdir, { refuseCdktf: true });
    expect(report).toEqual({ cdk: "cdktn", cdktfLoaded: false, cdktnLoaded: true });
    const versions = {
      cdktn: require(join(CDKTN_MODULES, "cdktn", "package.json")).version,
      constructs: require(join(CDKTN_MODULES, "constructs", "package.json")).version,
    };
    expect(versions.cdktn).toMatch(/^0\.24\./);
    expect(versions.constructs).toMatch(/^10\.7\./);

    let server: RunningServer | undefined;
    try {
      server = await startServer({ apiKeys: [{ key: API_KEY }] });
      const env = terraformEnv({
        IMMUTA_URL: server.url,
        IMMUTA_API_KEY: API_KEY,
        DWH_PASSWORD: "dwh-password",
      });
      const dir = join(outdir, "stacks", "quickstart");
      const tf = (...args: string[]) => terraform([...args, "-input=false", "-no-color"], dir, env);
      expect((await tf("init")).code).toBe(0);
      const applied = await tf("apply", "-auto-approve");
      expect({ code: applied.code, output: applied.code === 0 ? "" : applied.output }).toEqual({
        code: 0,
        output: "",
      });
      const writes = server
        .requests()
        .filter((r) => r.method !== "GET" && r.query.dryRun !== "true")
        .map((r) => `${r.method} ${r.kind} ${r.key}`)
        .sort();
      expect(writes).toEqual(QUICKSTART_WRITES);
      const seen = server.requests().length;
      expect((await tf("plan", "-detailed-exitcode")).code).toBe(0);
      expect((await tf("apply", "-auto-approve")).code).toBe(0);
      expect(server.requests().length).toBe(seen);
    } finally {
      await server?.close();
    }
  });

  it("runs access tests (cdktf-immuta/testing) in a cdktn app in which cdktf cannot be resolved", async () => {
    quickstart("cdktn"); // governance.ts, importing cdktn
    const probe = join(app, "cdktn", "access.ts");
    writeFileSync(
      probe,
      `import { TerraformStack, Testing } from "cdktn";\n` +
        `import { ImmutaProvider } from "cdktf-immuta";\n` +
        `import { compileStack } from "cdktf-immuta/testing";\n` +
        `import { governance } from "./governance";\n` +
        `const stack = new TerraformStack(Testing.app({ outdir: ${JSON.stringify(join(app, "access.out"))} }), "access");\n` +
        `new ImmutaProvider(stack, "immuta");\n` +
        `governance(stack);\n` +
        `const analyst = compileStack(stack, { catalog: ${JSON.stringify(join(REPO, "examples", "policy-tests", "catalog.yaml"))} })` +
        `.simulate({ name: "analyst", groups: ["Analysts"] });\n` +
        `console.log(analyst.dataSources.filter((d) => d.visible).map((d) => d.name).sort().join(","));\n` +
        REPORT,
    );
    const result = await run(
      process.execPath,
      [
        "--preserve-symlinks",
        "--require",
        join(app, "refuse-cdktf.cjs"),
        "--require",
        require.resolve("tsx/cjs"),
        probe,
      ],
      { cwd: app, env: { PATH: process.env.PATH, HOME: process.env.HOME } },
    );
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    const [subscribed, report] = result.stdout.trim().split("\n");
    expect(subscribed).toBe("public.customers,public.orders,public.payments");
    expect(JSON.parse(report)).toEqual({ cdk: "cdktn", cdktfLoaded: false, cdktnLoaded: true });
  });

  it("uses the CDK package the app loaded when both are installed", async () => {
    const cdktn = await synth(quickstart("cdktn"), join(app, "both-cdktn.out"));
    expect(cdktn).toEqual({ cdk: "cdktn", cdktfLoaded: false, cdktnLoaded: true });
    // The unmodified quickstart, a cdktf app, in the same place.
    const cdktf = await synth(quickstart("cdktf"), join(app, "both-cdktf.out"));
    expect(cdktf).toEqual({ cdk: "cdktf", cdktfLoaded: true, cdktnLoaded: false });
    // Both synthesize the same configuration, but for the CDK's own metadata.
    const config = (out: string) => {
      const file = join(app, out, "stacks", "quickstart", "cdk.tf.json");
      const { "//": metadata, ...rest } = JSON.parse(readFileSync(file, "utf8"));
      expect(metadata).toBeDefined();
      return rest;
    };
    expect(config("both-cdktn.out")).toEqual(config("both-cdktf.out"));
  });

  it("takes CDKTF_IMMUTA_CDK over the order it otherwise follows, and names a wrong value", async () => {
    const probe = join(app, "library-first.ts");
    // The library loaded before any CDK package: cdktn when resolvable, unless told otherwise.
    writeFileSync(probe, `require("cdktf-immuta");\n${REPORT}`);
    expect((await synth(probe, join(app, "probe.out"))).cdk).toBe("cdktn");
    const told = await synth(probe, join(app, "probe.out"), { env: { CDKTF_IMMUTA_CDK: "cdktf" } });
    expect(told.cdk).toBe("cdktf");

    const wrong = await run(
      process.execPath,
      ["--preserve-symlinks", "--require", require.resolve("tsx/cjs"), probe],
      { cwd: app, env: { PATH: process.env.PATH, CDKTF_IMMUTA_CDK: "cdk" } },
    );
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/CDKTF_IMMUTA_CDK="cdk": must be one of "cdktn" or "cdktf"/);
  });
});
