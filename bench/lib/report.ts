/** The results: a plain-text table for people, and bench/results/latest.json for machines. */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { RESULTS_DIR } from "./repo";
import { passes, type Row } from "./scenario";
import { formatNumber } from "./stats";

function targetText(row: Row): string {
  const { target, requirement } = row;
  const ratio = !target ? "-" : target.max !== undefined ? `<= ${target.max}x` : `>= ${target.min}x`;
  return requirement ? `${ratio}, ${requirement.text}` : ratio;
}

function ratioText(row: Row): string {
  const two = row.ratio.toFixed(2);
  const bound = row.target?.max ?? row.target?.min;
  // A ratio just past its target must not print as the target itself ("1.30x MISS").
  return bound !== undefined && Number(two) === bound ? `${row.ratio.toFixed(3)}x` : `${two}x`;
}

function resultText(row: Row): string {
  const pass = passes(row);
  return pass === undefined ? "(info)" : pass ? "PASS" : "MISS";
}

export function table(rows: readonly Row[]): string {
  const header = ["scenario", "measure", "ours", "baseline", "ratio", "target", "result"];
  const lines = rows.map((r) => [
    r.scenario,
    r.measure,
    `${formatNumber(r.ours)} ${r.unit}`,
    `${formatNumber(r.baseline)} ${r.unit}`,
    ratioText(r),
    targetText(r),
    resultText(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  // Numbers right-aligned, text left-aligned.
  const align = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  const notes = rows.flatMap((r) => (r.notes ?? []).map((n) => `  ${r.scenario}: ${n}`));
  return [
    align(header),
    align(widths.map((w) => "-".repeat(w))),
    ...lines.map(align),
    ...(notes.length > 0 ? ["", "Notes:", ...notes] : []),
  ].join("\n");
}

export function writeResults(rows: readonly Row[], wallMs: number, scenarios: string[]): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, "latest.json");
  const document = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    scenarios,
    wallSeconds: Math.round(wallMs / 100) / 10,
    rows: rows.map((r) => ({ ...r, pass: passes(r) ?? null })),
  };
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
  return path;
}
