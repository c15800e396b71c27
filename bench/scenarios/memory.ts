/**
 * Server memory holding 100,000 data sources (1,000 connections of 100 tables), measured in a
 * child process with --expose-gc as the heap used after full collections, less the heap before
 * the first POST; reported against the JSON size of the payloads (no target).
 */
import { lastJsonLine, mustRun, childScript } from "../lib/processes";
import { progress } from "../lib/progress";
import { row, type Scenario } from "../lib/scenario";
import { median } from "../lib/stats";

interface MemoryReport {
  readonly heapBytes: number;
  readonly payloadBytes: number;
  readonly sources: number;
}

export const memory: Scenario = {
  name: "memory",
  summary: "server heap holding 100,000 data sources vs the JSON size of their payloads",
  needsBuild: true,
  async run({ quick }) {
    const reports: MemoryReport[] = [];
    const reps = quick ? 1 : 2;
    for (let i = 0; i < reps; i++) {
      const child = childScript("memory-server", ["1000", "100"], ["--expose-gc"]);
      const result = await mustRun(child.command, child.args);
      reports.push(lastJsonLine<MemoryReport>(result.stdout));
      const last = reports.at(-1)!;
      progress(
        `memory: ${i + 1}/${reps} (heap ${(last.heapBytes / 1e6).toFixed(0)} MB for ${(last.payloadBytes / 1e6).toFixed(0)} MB of payloads)`,
      );
    }
    const mb = (bytes: number) => bytes / 1e6;
    const perSource = median(reports.map((r) => r.heapBytes / r.sources));
    return [
      row(
        {
          scenario: "memory",
          measure: "heap holding 100,000 data sources vs their payloads' JSON",
          unit: "MB",
          samples: {
            ours: reports.map((r) => mb(r.heapBytes)),
            baseline: reports.map((r) => mb(r.payloadBytes)),
          },
          notes: [`${perSource.toFixed(0)} bytes of heap per data source`],
        },
        median,
      ),
    ];
  },
};
