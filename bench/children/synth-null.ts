/**
 * The synth baseline: a cdktf app with one bare `null_resource` per object, each carrying its
 * payload's JSON in `triggers` (the same bytes our constructs carry), and nothing else.
 */
import { governancePayloads } from "../lib/governance";
import { synthArgs, type SynthReport } from "./synth-args";

const start = performance.now();
const { outdir, count } = synthArgs(process.argv.slice(2));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the clock starts, as in synth-immuta.ts
const cdktf = require("cdktf") as typeof import("cdktf");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nullProvider = require("@cdktf/provider-null") as typeof import("@cdktf/provider-null");
const loaded = performance.now();

const app = new cdktf.App({ outdir });
const stack = new cdktf.TerraformStack(app, "governance");
new nullProvider.provider.NullProvider(stack, "null");
for (const { id, json } of governancePayloads(count)) {
  new nullProvider.resource.Resource(stack, id, { triggers: { payload: json } });
}
const built = performance.now();
app.synth();
const done = performance.now();

const report: SynthReport = {
  loadMs: loaded - start,
  buildMs: built - loaded,
  synthMs: done - built,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
