/** The review for people at a terminal or in a CI log. */
import { colors, type Output } from "../cli/io";
import { fieldLines } from "./field-diff";
import {
  projectLosses,
  accessLine,
  categoryOf,
  countLine,
  personaLine,
  sorted,
  type Category,
  type Report,
} from "./report";

const MARK: Record<Category, string> = {
  held: "!",
  delete: "-",
  "remove-data": "!",
  error: "x",
  create: "+",
  update: "~",
  unknown: "?",
  unchanged: "=",
};

export function renderText(
  report: Report,
  out: Output,
  env: NodeJS.ProcessEnv,
  all = false,
): string {
  const c = colors(out, env);
  const paint: Record<Category, (s: string) => string> = {
    held: c.red,
    delete: c.red,
    "remove-data": c.red,
    error: c.red,
    create: c.green,
    update: c.yellow,
    unknown: c.dim,
    unchanged: c.dim,
  };
  const lines = [`${c.bold(`${report.title} for stack "${report.stack}"`)}: ${countLine(report)}`];
  // Who can now see what: before any object, as it is what a reviewer asks first.
  if (report.personas?.length) {
    lines.push("  access by persona:");
    for (const change of report.personas) lines.push(`    ${c.yellow("*")} ${personaLine(change)}`);
  }
  let unchanged = 0;
  for (const review of sorted(report)) {
    const category = categoryOf(review);
    if (category === "unchanged" && !all) {
      unchanged++;
      continue;
    }
    lines.push(`  ${paint[category](MARK[category])} ${review.outcome.summary}`);
    for (const loss of projectLosses(review)) lines.push(c.yellow(`      warning: ${loss}`));
    for (const line of fieldLines(review.fields ?? [])) lines.push(c.dim(`      ${line}`));
    const access = accessLine(review);
    if (access) {
      // Changed in the code since the last deploy, yet already so in Immuta (set by hand).
      const already = category === "unchanged" ? " (already so in Immuta)" : "";
      lines.push(`      access: ${access}${already}`);
    }
  }
  if (unchanged > 0) lines.push(c.dim(`  (${unchanged} unchanged not listed; --all lists them)`));
  for (const note of report.notes) lines.push(c.dim(`note: ${note}`));
  return `${lines.join("\n")}\n`;
}
