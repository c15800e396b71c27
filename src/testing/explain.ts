/**
 * The lines of a failure message that say why: for an `AccessSimulation`, from the full-detail
 * answer (policies that do not apply, masking rules that do not target the column, each with
 * why); and what makes an answer partial (objects left out, the simulator's warnings).
 */
import type {
  AccessReport,
  ColumnAccess,
  DataSourceAccess,
  PolicyMiss,
  RuleRef,
} from "../access/types";
import { describeUser } from "./describe";
import { AccessSimulation } from "./simulation";

/** Why a column is as it is, rule by rule (full detail, for an AccessSimulation). */
export function columnDetails(
  report: AccessReport,
  source: DataSourceAccess,
  column: ColumnAccess,
): string[] {
  const full = explained(report, source);
  const detailed = full.columns.find((c) => c.column === column.column) ?? column;
  const out: string[] = [];
  for (const miss of detailed.notTargeting ?? []) out.push(`  ${ruleName(miss.rule)}: ${miss.why}`);
  for (const lost of detailed.overridden)
    out.push(`  ${ruleName(lost.rule)} gives way: ${lost.why}`);
  if (!detailed.why.includes("staged")) {
    for (const rule of detailed.staged) {
      out.push(`  ${ruleName(rule)} is staged (not enforced); once active it would mask it`);
    }
  }
  return [...out, ...missesOf(full, "data")];
}

/** The subscription policies that give way, and those that do not apply (full detail). */
export function subscriptionDetails(report: AccessReport, source: DataSourceAccess): string[] {
  const full = explained(report, source);
  return [
    ...full.subscription.overridden.map((o) => `  ${o.policy.policyKey} gives way: ${o.why}`),
    ...missesOf(full, "subscription"),
  ];
}

/** The policies of a type whose circumstances do not match the data source (full detail). */
export function misses(report: AccessReport, source: DataSourceAccess, type: PolicyMiss["type"]) {
  return missesOf(explained(report, source), type);
}

function missesOf(full: DataSourceAccess, type: PolicyMiss["type"]): string[] {
  return (full.notApplied ?? [])
    .filter((m) => m.type === type)
    .map((m) => `  ${m.policyKey} does not apply to ${full.name}: ${m.why}`);
}

function explained(report: AccessReport, source: DataSourceAccess): DataSourceAccess {
  return report instanceof AccessSimulation ? (report.explain(source.name) ?? source) : source;
}

/** Objects left out and the simulator's warnings: a reader must know the answer is partial. */
export function notes(report: AccessReport): string[] {
  const skipped = report instanceof AccessSimulation ? report.skipped : [];
  return [
    ...(skipped.length > 0 ? ["", 'Not simulated (unresolved: "skip"):'] : []),
    ...skipped.map((s) => `  ${s.kind} "${s.key}" (${s.where}): ${s.why}`),
    ...(report.warnings.length > 0 ? ["", "Simulator warnings:"] : []),
    ...report.warnings.map((w) => `  ${w.path}: ${w.message}`),
  ];
}

/** The persona's name, or what the user is. */
export function personaOf(report: AccessReport): string {
  return report instanceof AccessSimulation ? report.persona : describeUser(report.user);
}

function ruleName(rule: RuleRef): string {
  return `${rule.policyKey} ${rule.rule}`;
}
