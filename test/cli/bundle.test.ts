/**
 * The provisioner commands start from one file bundled by esbuild (scripts/bundle-cli.ts): the
 * bundle must keep lazy modules lazy, leave packages to node_modules, be up to date with src/, be
 * what the bin runs for the provisioner commands, and load undici only for a retry, through its
 * public entry.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENTRY, OUTFILE, bundle } from "../../scripts/bundle-cli";
import type { ServerOptions } from "../../src/server";
import { API_KEY, PAYLOADS, testServer } from "../client/fixtures";

const REPO = join(__dirname, "..", "..");
const BIN = join(REPO, "bin", "immuta-v2.js");
/** The commands src/cli/provisioner.ts bundles, which the bin must send to the bundle. */
const PROVISIONER_COMMANDS = [
  ...readFileSync(join(REPO, "src", "cli", "provisioner.ts"), "utf8").matchAll(
    /^ {2}(\w+): \(\) => require\("\.\/commands\//gm,
  ),
].map(([, name]) => name);

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory holding the given files, removed after the test file. */
function tempDir(contents: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "bundle-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(contents)) writeFileSync(join(dir, name), text);
  return dir;
}

/**
 * A `node -r` hook reporting each module the process loads from lib/ ("LOADED file") and each
 * request for undici ("UNDICI request"), and refusing any undici module but its public entry,
 * as a package `exports` map would.
 */
function hook(): string {
  const file = join(tempDir(), "hook.js");
  writeFileSync(
    file,
    `const M = require("module");
const load = M._load;
M._load = function (request, parent) {
  if (request === "undici" || request.startsWith("undici/")) {
    process.stderr.write("UNDICI " + request + "\\n");
    if (request !== "undici") throw new Error("not undici's public API: " + request);
  }
  const loaded = load.apply(this, arguments);
  try {
    const file = M._resolveFilename(request, parent);
    if (file.startsWith(${JSON.stringify(join(REPO, "lib") + "/")})) process.stderr.write("LOADED " + file + "\\n");
  } catch {}
  return loaded;
};
`,
  );
  return file;
}

describe("the provisioner bundle", () => {
  it("runs a required module only when it is first required, and leaves packages to node_modules", () => {
    const dir = tempDir({
      "entry.js": [
        'const { greet } = require("./greet");',
        "console.log(greet('bundle'));",
        'if (process.argv[2] === "lazy") console.log(require("./lazy").value);',
        'if (process.argv[2] === "package") require("undici");',
      ].join("\n"),
      "greet.js": "exports.greet = (name) => `hello ${name}`;",
      "lazy.js": 'console.log("lazy module ran"); exports.value = 42;',
    });
    const source = bundle(join(dir, "entry.js"), dir);
    writeFileSync(join(dir, "out.js"), source);
    const run = (...args: string[]) =>
      spawnSync("node", [join(dir, "out.js"), ...args], { encoding: "utf8" });
    expect(run().stdout).toBe("hello bundle\n");
    expect(run("lazy").stdout).toBe("hello bundle\nlazy module ran\n42\n");
    // undici is not copied in: it is required from node_modules (none beside /tmp: not found).
    expect(source).toContain('require("undici")');
    expect(run("package").stderr).toMatch(/Cannot find module 'undici'/);
  });

  it("fails at build naming the file, line and column of a require it cannot resolve", () => {
    const dir = tempDir({ "entry.js": 'require("./missing");' });
    expect(() => bundle(join(dir, "entry.js"), dir)).toThrow(
      /entry\.js:1:8: ERROR: Could not resolve "\.\/missing"/,
    );
  });

  it("is up to date with src/ (npm run build writes it)", () => {
    expect(readFileSync(OUTFILE, "utf8")).toBe(bundle(ENTRY));
  });

  it("is what the bin runs for the provisioner commands: no module of lib/src is loaded", () => {
    expect(PROVISIONER_COMMANDS).toContain("apply");
    const hookFile = hook();
    const loadedBy = (command: string) =>
      spawnSync("node", ["-r", hookFile, BIN, command, "--help"], { encoding: "utf8" }).stderr;
    for (const command of PROVISIONER_COMMANDS) {
      expect(loadedBy(command)).toBe(`LOADED ${OUTFILE}\n`);
    }
    expect(loadedBy("validate")).toContain(join(REPO, "lib", "src", "cli", "main.js"));
  });

  describe("loads undici", () => {
    const hookFile = hook();
    const cwd = tempDir({ "purpose.json": JSON.stringify(PAYLOADS.purpose) });
    async function apply(options: ServerOptions) {
      const server = await testServer(options);
      return new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [
            ...["-r", hookFile, BIN, "apply", "--kind", "purpose", "--file", "purpose.json"],
            // The backoff is not what is tested: keep it short.
            ...["--retry-delay", "0.001"],
          ],
          {
            cwd,
            env: {
              PATH: process.env.PATH,
              IMMUTA_URL: server.url,
              IMMUTA_API_KEY: API_KEY,
            },
          },
          (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
        );
      });
    }

    it("not at all for a call that succeeds at once", async () => {
      const { code, stderr } = await apply({});
      expect(code).toBe(0);
      expect(stderr).toBe(`LOADED ${OUTFILE}\n`);
    });

    it("for a retry, through its public entry only", async () => {
      const { code, stderr } = await apply({ faults: [{ status: 503, times: 2 }] });
      expect(code).toBe(0);
      expect(stderr.split("\n").filter((line) => !line.startsWith("immuta-v2: "))).toEqual([
        `LOADED ${OUTFILE}`,
        "UNDICI undici",
        "",
      ]);
      expect(stderr).toMatch(/attempt 2 of 5 failed \(status 503\)/);
    });
  });
});
