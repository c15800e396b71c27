/**
 * The provisioner commands start from one bundled file (scripts/bundle-cli.ts): the bundle must
 * behave as the modules do, stay lazy, and be what the bin runs for apply, delete and prune.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundle } from "../../scripts/bundle-cli";

const REPO = join(__dirname, "..", "..");

function files(dir: string, contents: Record<string, string>): void {
  for (const [name, text] of Object.entries(contents)) writeFileSync(join(dir, name), text);
}

describe("the CLI bundle", () => {
  it("runs a module graph as Node would, with lazy requires still lazy and packages required as usual", () => {
    const dir = mkdtempSync(join(tmpdir(), "bundle-"));
    files(dir, {
      "entry.js": [
        'const { greet } = require("./greet");',
        'const path = require("node:path");',
        'console.log(greet("bundle"), path.basename(__filename), require("./greet") === require("./greet.js"));',
        'if (process.argv[2] === "lazy") console.log(require("./lazy").value);',
      ].join("\n"),
      "greet.js": "exports.greet = (name) => `hello ${name}`;",
      "lazy.js": 'console.log("lazy module ran"); exports.value = 42;',
    });
    writeFileSync(join(dir, "out.js"), bundle(join(dir, "entry.js"), dir));
    const run = (...args: string[]) =>
      execFileSync("node", [join(dir, "out.js"), ...args], { encoding: "utf8" });
    expect(run()).toBe("hello bundle entry.js true\n");
    expect(run("lazy")).toBe("hello bundle entry.js true\nlazy module ran\n42\n");
  });

  it("fails at build, naming the module, when a relative require cannot be resolved", () => {
    const dir = mkdtempSync(join(tmpdir(), "bundle-"));
    files(dir, { "entry.js": 'require("./missing");' });
    expect(() => bundle(join(dir, "entry.js"), dir)).toThrow(
      /entry\.js: cannot resolve require\("\.\/missing"\)/,
    );
  });

  it("is up to date with lib/ (npm run build writes both)", () => {
    const lib = join(REPO, "lib");
    expect(readFileSync(join(lib, "provisioner.js"), "utf8")).toBe(
      bundle(join(lib, "src", "cli", "provisioner.js"), lib),
    );
  });

  it("is what the bin runs for the provisioner commands: no module of lib/src is loaded", () => {
    const hook = join(mkdtempSync(join(tmpdir(), "bundle-")), "hook.js");
    writeFileSync(
      hook,
      [
        'const M = require("module");',
        "const load = M._load;",
        "M._load = function (request, parent) {",
        "  const loaded = load.apply(this, arguments);",
        '  try { const file = M._resolveFilename(request, parent); if (file.includes("/lib/")) process.stderr.write("LOADED " + file + "\\n"); } catch {}',
        "  return loaded;",
        "};",
      ].join("\n"),
    );
    const loadedBy = (command: string) =>
      spawnSync("node", ["-r", hook, join(REPO, "bin", "immuta-v2.js"), command, "--help"], {
        encoding: "utf8",
      }).stderr;
    for (const command of ["apply", "delete", "prune"]) {
      expect(loadedBy(command)).toBe(`LOADED ${join(REPO, "lib", "provisioner.js")}\n`);
    }
    expect(loadedBy("validate")).toContain(join(REPO, "lib", "src", "cli", "main.js"));
  });
});
