/**
 * Who can now see what: each persona's access simulated on the tenant before a change and after
 * it, and the differences in a reviewer's words ("contractor: email on public.customers: masked
 * (Hash) → clear"). Pure: the caller gives both tenants as payloads.
 */
import { compileTenant, simulateAccess } from "../access/simulate";
import type { CompiledTenant } from "../access/tenant";
import type {
  AccessReport,
  ColumnAccess,
  DataSourceAccess,
  SimulatedUser,
  TenantInput,
} from "../access/types";
import { formatProblem, ImmutaError } from "../errors";
import { canonicalJson } from "../payload/canonical";
import { ACCESS_WORDS, columnState } from "../testing/describe";
import type { NamedPersona } from "./personas-file";

export interface PersonaAccessChange {
  readonly persona: string;
  /** The tenant (its provider's id), when the stack has several. */
  readonly tenant?: string;
  readonly dataSource: string;
  /** What changed, naming the data source: `email on public.customers: masked (Hash) → clear`. */
  readonly change: string;
}

export interface PersonaAccessReview {
  readonly changes: readonly PersonaAccessChange[];
  /** Parts of the governance or of a persona the simulator could not evaluate. */
  readonly warnings: readonly string[];
  /** Personas acting under a project this tenant has neither before nor after the change. */
  readonly withoutProject: readonly string[];
}

/** The governance of one side could not be simulated at all; `side` says which. */
export class SimulationError extends ImmutaError {
  get code() {
    return "SIMULATION" as const;
  }
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

/** A column's state with what decides it: the same words can hide another constant or policy. */
function columnDetail(c: ColumnAccess): string {
  const m = c.masking;
  return m ? `${columnState(c)} by ${m.rule.policyKey} ${canonicalJson(m.config)}` : columnState(c);
}

function compareColumns(name: string, was: DataSourceAccess, now: DataSourceAccess): string[] {
  const lines: string[] = [];
  const before = new Map(was.columns.map((c) => [c.column, c]));
  for (const column of now.columns) {
    const old = before.get(column.column);
    before.delete(column.column);
    const [a, b] = [old && columnState(old), columnState(column)];
    if (!old) lines.push(`${column.column} on ${name}: new, ${b}`);
    else if (a !== b) lines.push(`${column.column} on ${name}: ${a} → ${b}`);
    else if (columnDetail(old) !== columnDetail(column)) {
      lines.push(`${column.column} on ${name}: ${columnDetail(old)} → ${columnDetail(column)}`);
    }
  }
  // Known before, not now: without a catalog a column is known only while a tag names it.
  for (const [column, old] of before) {
    lines.push(
      `${column} on ${name}: ${columnState(old)} → not known: no tag names it now ` +
        "(--catalog lists every column)",
    );
  }
  return lines;
}

function compareRows(name: string, was: DataSourceAccess, now: DataSourceAccess): string[] {
  const lines: string[] = [];
  const filters = (d: DataSourceAccess) =>
    new Map(d.rowFilters.map((f) => [ruleName(f.rule), f.predicate ?? canonicalJson(f.config)]));
  const [old, current] = [filters(was), filters(now)];
  for (const [rule, how] of current) {
    const before = old.get(rule);
    if (before === undefined) lines.push(`${name}: rows now filtered by ${rule}`);
    else if (before !== how) lines.push(`${name}: rows filtered by ${rule}: ${before} → ${how}`);
  }
  for (const rule of old.keys()) {
    if (!current.has(rule)) lines.push(`${name}: rows no longer filtered by ${rule}`);
  }
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
  return lines;
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
  if (was.visible && now.visible) lines.push(...compareColumns(name, was, now));
  if (was.visible || now.visible) lines.push(...compareRows(name, was, now));
  return lines;
}

/** How a side without the data source reads: no such source, or no such project. */
interface Absence {
  readonly added: string;
  readonly removed: string;
}
const NO_SOURCE: Absence = { added: "new data source", removed: "removed" };

/** The differences between one persona's two reports, data source by data source. */
function differences(
  before: Pick<AccessReport, "dataSources">,
  after: Pick<AccessReport, "dataSources">,
  absence: Absence,
): [string, string[]][] {
  const was = new Map(before.dataSources.map((d) => [d.name, d]));
  const now = new Map(after.dataSources.map((d) => [d.name, d]));
  const names = [...new Set([...was.keys(), ...now.keys()])].sort();
  return names.map((name): [string, string[]] => {
    const [b, a] = [was.get(name), now.get(name)];
    if (!b)
      return [name, a && reachable(a) ? [`${name}: ${absence.added}, ${withColumns(a)}`] : []];
    if (!a)
      return [name, reachable(b) ? [`${name}: ${absence.removed} (was ${subscription(b)})`] : []];
    return [name, compare(b, a)];
  });
}

/** The persona's report, or none when they act under a project the tenant does not have. */
function reportOf(tenant: CompiledTenant, user: SimulatedUser): AccessReport | undefined {
  if (user.project !== undefined && !tenant.project(user.project)) return undefined;
  return simulateAccess(tenant, user);
}

function compile(input: TenantInput, side: "before" | "after"): CompiledTenant {
  try {
    return compileTenant(input);
  } catch (error) {
    if (!(error instanceof ImmutaError)) throw error;
    const when = side === "before" ? "as last deployed" : "as the change leaves it";
    throw new SimulationError(`the governance ${when} cannot be simulated: ${error.message}`);
  }
}

export function personaAccessChanges(
  before: TenantInput,
  after: TenantInput,
  personas: readonly NamedPersona[],
): PersonaAccessReview {
  const [was, now] = [compile(before, "before"), compile(after, "after")];
  const changes: PersonaAccessChange[] = [];
  const warnings = new Set<string>();
  const withoutProject: string[] = [];
  for (const { name: persona, ...user } of personas) {
    const [b, a] = [reportOf(was, user), reportOf(now, user)];
    if (!b && !a) {
      withoutProject.push(persona);
      continue;
    }
    const project = `project ${user.project}`;
    let absence = NO_SOURCE;
    if (!b) {
      changes.push({ persona, dataSource: "", change: `${project}: new` });
      absence = { added: `in the new ${project}`, removed: "" };
    }
    if (!a) {
      changes.push({ persona, dataSource: "", change: `${project}: removed` });
      absence = { added: "", removed: `no longer reachable: ${project} removed` };
    }
    for (const warning of a?.warnings ?? []) {
      // The persona's own problems (a purpose the tenant lacks) say whose they are.
      const whose = warning.path.startsWith("user.") ? `persona ${persona}: ` : "";
      warnings.add(`${whose}${formatProblem(warning)}`);
    }
    for (const [dataSource, lines] of differences(b ?? NOTHING, a ?? NOTHING, absence)) {
      for (const change of lines) changes.push({ persona, dataSource, change });
    }
  }
  return { changes, warnings: [...warnings], withoutProject };
}

const NOTHING: Pick<AccessReport, "dataSources"> = { dataSources: [] };
