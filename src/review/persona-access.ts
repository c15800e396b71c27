/**
 * Who can now see what: each persona's access simulated on the tenant before a change and after
 * it, and the differences in a reviewer's words ("contractor: email on public.customers masked
 * (Hash) → clear"). Pure: the caller gives both tenants as payloads.
 */
import { compileTenant, simulateAccess } from "../access/simulate";
import type { CompiledTenant } from "../access/tenant";
import type { AccessReport, DataSourceAccess, SimulatedUser, TenantInput } from "../access/types";
import { formatProblem } from "../errors";
import { ACCESS_WORDS, columnState } from "../testing/describe";
import type { NamedPersona } from "./personas-file";

export interface PersonaAccessChange {
  readonly persona: string;
  /** The tenant (its provider's id), when the stack has several. */
  readonly tenant?: string;
  readonly dataSource: string;
  /** What changed, naming the data source: `email on public.customers masked (Hash) → clear`. */
  readonly change: string;
}

export interface PersonaAccessReview {
  readonly changes: readonly PersonaAccessChange[];
  /** Parts of the governance the simulator could not evaluate (after the change). */
  readonly warnings: readonly string[];
}

/** A user can use the data source now, or can get it (subscribe, ask; within their project). */
const reachable = (d: DataSourceAccess) =>
  d.inProject !== false && (d.visible || d.subscription.maySubscribe);
const subscription = (d: DataSourceAccess) => ACCESS_WORDS[d.subscription.access];
/** Where the user stands: the subscription, unless their project leaves the source out. */
function standing(d: DataSourceAccess): string {
  if (d.inProject === false) return "not in the project";
  const granted = d.subscription.access === "automatic" || d.subscription.access === "self";
  return `${subscription(d)}${granted && !d.visible ? " (not visible)" : ""}`;
}
const ruleName = (r: { policyKey: string; type: string }) => `${r.policyKey} (${r.type})`;

/** `clear: country, id; masked (Hash): email` */
function columnSummary(d: DataSourceAccess): string {
  const byState = new Map<string, string[]>();
  for (const column of d.columns) {
    const state = columnState(column);
    byState.set(state, [...(byState.get(state) ?? []), column.column]);
  }
  return [...byState].map(([state, columns]) => `${state}: ${columns.join(", ")}`).join("; ");
}

function withColumns(d: DataSourceAccess): string {
  const columns = d.visible && d.columns.length > 0 ? `; ${columnSummary(d)}` : "";
  return `${subscription(d)}${columns}`;
}

function compare(was: DataSourceAccess, now: DataSourceAccess): string[] {
  const name = now.name;
  const lines: string[] = [];
  if (standing(was) !== standing(now) || was.visible !== now.visible) {
    const columns = now.visible && !was.visible && now.columns.length > 0;
    lines.push(
      `${name}: ${standing(was)} → ${standing(now)}${columns ? `; ${columnSummary(now)}` : ""}`,
    );
  }
  if (was.visible && now.visible) {
    const before = new Map(was.columns.map((c) => [c.column, columnState(c)]));
    for (const column of now.columns) {
      const state = columnState(column);
      const old = before.get(column.column);
      if (old === undefined) lines.push(`${column.column} on ${name}: new, ${state}`);
      else if (old !== state) lines.push(`${column.column} on ${name}: ${old} → ${state}`);
    }
  }
  if (was.visible || now.visible) {
    const filters = (d: DataSourceAccess) => new Set(d.rowFilters.map((f) => ruleName(f.rule)));
    const [old, current] = [filters(was), filters(now)];
    for (const f of current) if (!old.has(f)) lines.push(`${name}: rows now filtered by ${f}`);
    for (const f of old)
      if (!current.has(f)) lines.push(`${name}: rows no longer filtered by ${f}`);
    const restrictions = (d: DataSourceAccess) =>
      new Map(d.purposeRestrictions.map((r) => [ruleName(r.rule), r.met]));
    const [oldMet, nowMet] = [restrictions(was), restrictions(now)];
    const words = (met: boolean | undefined) =>
      met === undefined ? "none" : met ? "met" : "not met";
    for (const rule of new Set([...oldMet.keys(), ...nowMet.keys()])) {
      if (oldMet.get(rule) === nowMet.get(rule)) continue;
      lines.push(
        `${name}: purpose restriction ${rule} ${words(oldMet.get(rule))} → ${words(nowMet.get(rule))}`,
      );
    }
  }
  return lines;
}

/** The differences between one persona's two reports, data source by data source. */
function differences(
  before: Pick<AccessReport, "dataSources">,
  after: Pick<AccessReport, "dataSources">,
): [string, string[]][] {
  const was = new Map(before.dataSources.map((d) => [d.name, d]));
  const now = new Map(after.dataSources.map((d) => [d.name, d]));
  const names = [...new Set([...was.keys(), ...now.keys()])].sort();
  return names.map((name): [string, string[]] => {
    const [b, a] = [was.get(name), now.get(name)];
    if (!b) return [name, a && reachable(a) ? [`${name}: new data source, ${withColumns(a)}`] : []];
    if (!a) return [name, reachable(b) ? [`${name}: removed (was ${subscription(b)})`] : []];
    return [name, compare(b, a)];
  });
}

/** The persona's report, or none when they act under a project the tenant does not have. */
function reportOf(tenant: CompiledTenant, user: SimulatedUser): AccessReport | undefined {
  if (user.project !== undefined && !tenant.project(user.project)) return undefined;
  return simulateAccess(tenant, user);
}

export function personaAccessChanges(
  before: TenantInput,
  after: TenantInput,
  personas: readonly NamedPersona[],
): PersonaAccessReview {
  const [was, now] = [compileTenant(before), compileTenant(after)];
  const changes: PersonaAccessChange[] = [];
  const warnings = new Set<string>();
  for (const { name: persona, ...user } of personas) {
    const [b, a] = [reportOf(was, user), reportOf(now, user)];
    if (!b && !a) {
      warnings.add(`persona ${persona}: no project "${user.project}" before or after the change`);
      continue;
    }
    const project = `project ${user.project}`;
    if (!b) changes.push({ persona, dataSource: "", change: `${project}: new` });
    if (!a) changes.push({ persona, dataSource: "", change: `${project}: removed` });
    for (const warning of a?.warnings ?? []) warnings.add(formatProblem(warning));
    for (const [dataSource, lines] of differences(b ?? NOTHING, a ?? NOTHING)) {
      for (const change of lines) changes.push({ persona, dataSource, change });
    }
  }
  return { changes, warnings: [...warnings] };
}

const NOTHING: Pick<AccessReport, "dataSources"> = { dataSources: [] };
