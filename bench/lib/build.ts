/**
 * The CLI and the compiled package come from lib/, so lib/ must match the sources: built when an
 * output is missing or older than any input (tsc and the bundle script rewrite every output, so
 * these outputs' times stand for all).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { mustRun } from "./processes";
import { progress } from "./progress";
import { REPO } from "./repo";

/** What `npm run build` reads: the sources, its config and its scripts (the CLI bundler). */
const INPUTS = ["src", "providers", "scripts", "tsconfig.build.json", "package.json"];
/** What it writes that the bench runs: the CLI (compiled, and the provisioners' bundle). */
const OUTPUTS = ["lib/src/cli/main.js", "lib/provisioner.js"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory() || entry.name.endsWith(".ts")) {
      newest = Math.max(newest, newestMtime(child));
    }
  }
  return newest;
}

/** The oldest output's time; -1 when one is missing (an older checkout may not bundle: skipped). */
function builtAt(): number {
  const present = OUTPUTS.filter((o) => existsSync(join(REPO, o)));
  if (!present.includes(OUTPUTS[0])) return -1;
  return Math.min(...present.map((o) => statSync(join(REPO, o)).mtimeMs));
}

export async function ensureBuilt(): Promise<void> {
  const sources = Math.max(...INPUTS.map((i) => newestMtime(join(REPO, i))));
  if (builtAt() >= sources) return;
  progress("lib/ is missing or older than the sources: npm run build");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  await mustRun(npm, ["run", "build"], { cwd: REPO });
}
