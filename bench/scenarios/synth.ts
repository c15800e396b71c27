/**
 * Synth of 5,000 objects (1,250 per kind) with our constructs against 5,000 bare `null_resource`s
 * carrying the same payload bytes, each synth a fresh `node` process (module loading and garbage
 * collection alike), into a temporary outdir. Timed twice: through tsx, as the examples'
 * cdktf.json runs an app (tsx turns source maps on, which makes every stack trace cdktf captures
 * expensive), and with source maps off, as compiled JavaScript under plain node runs.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { SynthReport } from "../children/synth-args";
import { interleave } from "../lib/interleave";
import { childScript, lastJsonLine, mustRun } from "../lib/processes";
import { row, type Row, type Scenario } from "../lib/scenario";
import { median } from "../lib/stats";
import { withTempDir } from "../lib/temp";

const OBJECTS = 5_000;

export const synth: Scenario = {
  name: "synth",
  summary: "synth of 5,000 objects vs 5,000 null_resources with the same payload bytes",
  needsBuild: true,
  run: ({ quick }) =>
    withTempDir("synth", async (dir) => {
      let runs = 0;
      const reports = { ours: [] as SynthReport[], baseline: [] as SynthReport[] };
      const synthOnce = (app: "immuta" | "null", flags: string[]) => async () => {
        const outdir = join(dir, `out-${++runs}`);
        const child = childScript(`synth-${app}`, [outdir, `${OBJECTS}`, ...flags]);
        const result = await mustRun(child.command, child.args);
        rmSync(outdir, { recursive: true, force: true }); // 15 MB per synth of ours
        reports[app === "immuta" ? "ours" : "baseline"].push(lastJsonLine(result.stdout));
        return result.ms;
      };
      const rows: Row[] = [];
      for (const [label, flags, reps] of [
        ["tsx, as cdktf runs the app", [], quick ? 2 : 5],
        ["source maps off (compiled JS)", ["--no-source-maps"], quick ? 1 : 3],
      ] as const) {
        reports.ours.length = reports.baseline.length = 0;
        const s = await interleave(`synth (${label})`, reps, {
          ours: synthOnce("immuta", [...flags]),
          nullResource: synthOnce("null", [...flags]),
        });
        const phases = (list: SynthReport[]) =>
          (["loadMs", "buildMs", "synthMs"] as const)
            .map((k) => `${k.replace("Ms", "")} ${median(list.map((r) => r[k])).toFixed(0)}`)
            .join(", ");
        rows.push(
          row(
            {
              scenario: "synth",
              measure: `5,000 objects vs 5,000 null_resource, ${label}`,
              unit: "ms",
              target: { max: 1.5 },
              samples: { ours: s.ours, baseline: s.nullResource },
              notes: [
                `${label}: inside the process (ms), ours: ${phases(reports.ours)}; ` +
                  `null_resource: ${phases(reports.baseline)}`,
              ],
            },
            median,
          ),
        );
      }
      return rows;
    }),
};
