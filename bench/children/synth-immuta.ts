/**
 * A cdktf app synthesizing the governance stack with our constructs, loaded from lib/ as users
 * load the package. Run in a fresh process per measurement (see scenarios/synth.ts).
 */
import type * as Immuta from "../../src";
import { buildFloor, buildGovernance } from "../lib/governance";
import { LIB_INDEX } from "../lib/repo";
import { synthArgs, type SynthReport } from "./synth-args";

const start = performance.now();
const { outdir, count, localBackend, floor } = synthArgs(process.argv.slice(2));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled package, typed by its source
const cdktf = require("cdktf") as typeof import("cdktf");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require(LIB_INDEX) as typeof Immuta;
const loaded = performance.now();

const app = new cdktf.App({ outdir });
const stack = new cdktf.TerraformStack(app, "governance");
// Relative to the stack directory, so that the deploy scenarios can copy the directory around.
if (localBackend) new cdktf.LocalBackend(stack, { path: "terraform.tfstate" });
if (floor) buildFloor(stack, lib, count);
else buildGovernance(stack, lib, count);
const built = performance.now();
app.synth();
const done = performance.now();

const report: SynthReport = {
  loadMs: loaded - start,
  buildMs: built - loaded,
  synthMs: done - built,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
