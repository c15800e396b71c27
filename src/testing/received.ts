/**
 * What an expectation names, found in the report: the report itself, a data source, a column,
 * and the expectation's own fields. What is not there is an error (not a failed expectation),
 * naming what there is: with `.not`, a misspelt name would otherwise pass.
 */
import type { AccessReport, ColumnAccess, DataSourceAccess } from "../access/types";
import { AccessSimulation } from "./simulation";

export function reportOf(received: unknown, hint: string): AccessReport {
  if (received instanceof AccessSimulation) return received;
  const r = received as Partial<AccessReport> | null;
  if (r && typeof r === "object" && Array.isArray(r.dataSources) && r.user) {
    return r as AccessReport;
  }
  throw new Error(
    `${hint}\n\nThe received value must be an access simulation (simulateAccess(stack, user) from ` +
      `cdktf-immuta/testing) or an access report; received ${show(received)}`,
  );
}

export function sourceOf(report: AccessReport, name: unknown, hint: string): DataSourceAccess {
  if (typeof name !== "string") {
    throw new Error(
      `${hint}\n\nThe data source must be its name, such as "public.customers" (got ${show(name)})`,
    );
  }
  const found =
    report instanceof AccessSimulation
      ? report.dataSource(name)
      : report.dataSources.find((d) => d.name === name);
  if (found) return found;
  const names = report.dataSources.map((d) => d.name);
  const last = name.toLowerCase().split(".").pop()!;
  const close = names.filter(
    (n) => n.toLowerCase() === name.toLowerCase() || n.toLowerCase().split(".").pop() === last,
  );
  throw new Error(
    `${hint}\n\nNo data source "${name}" in the simulated tenant` +
      (close.length > 0 ? ` (did you mean ${close.map((n) => `"${n}"`).join(" or ")}?)` : "") +
      `; it has ${listNames(names)}`,
  );
}

export function columnOf(
  report: AccessReport,
  source: DataSourceAccess,
  name: unknown,
  hint: string,
): ColumnAccess {
  if (typeof name !== "string") {
    throw new Error(`${hint}\n\n"column" must be a column name (got ${show(name)})`);
  }
  const found =
    source.columns.find((c) => c.column === name) ??
    source.columns.find((c) => c.column.toLowerCase() === name.toLowerCase());
  if (found) return found;
  const known =
    report instanceof AccessSimulation && report.columnsKnown(source.name) === false
      ? "; no catalog lists its table, so only the columns its column tags name are known " +
        "(pass a catalog: simulateAccess(stack, user, { catalog }))"
      : "";
  throw new Error(
    `${hint}\n\nNo column "${name}" in ${source.name}; it has ` +
      `${listNames(source.columns.map((c) => c.column))}${known}`,
  );
}

export function checkFields(expected: unknown, allowed: readonly string[], hint: string): void {
  if (expected === undefined) return;
  if (expected === null || typeof expected !== "object" || Array.isArray(expected)) {
    throw new Error(
      `${hint}\n\nThe expectation must be an object such as { ${allowed[0]}: ... } (got ${show(expected)})`,
    );
  }
  const unknown = Object.keys(expected).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    throw new Error(
      `${hint}\n\nUnknown field${unknown.length === 1 ? "" : "s"} ${unknown.map((k) => `"${k}"`).join(", ")} ` +
        `in the expectation (it takes ${allowed.join(", ")})`,
    );
  }
}

export function listNames(names: readonly string[]): string {
  if (names.length === 0) return "none";
  const shown = names.slice(0, 20).join(", ");
  return names.length > 20 ? `${shown}, ... ${names.length} in all` : shown;
}

export function show(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}
