/**
 * The query flags of `apply` (`--dry-run`, `--wait`, `--re-certify`, ...) and the V2 query
 * parameters they become, checked against the kind: shared by `apply` and by the confirm step,
 * which re-applies an object with the flags its stack gives it.
 */
import { parseArgs } from "node:util";
import { UsageError } from "../errors";
import type { Kind } from "../payload/kinds";
import type { AnyQuery } from "../payload/types";
import { integerFlag } from "./args";

export const QUERY_OPTIONS = {
  "dry-run": { type: "boolean" },
  wait: { type: "string" },
  "re-certify": { type: "boolean" },
  "re-acknowledge-required": { type: "boolean" },
  "delete-data-sources-on-workspace-delete": { type: "boolean" },
} as const;

/** Flags that only one kind's endpoint takes, and the query parameter each becomes. */
const KIND_FLAGS = {
  wait: { kind: "data", query: "wait" },
  "re-certify": { kind: "policy", query: "reCertify" },
  "re-acknowledge-required": { kind: "purpose", query: "reAcknowledgeRequired" },
  "delete-data-sources-on-workspace-delete": {
    kind: "project",
    query: "deleteDataSourcesOnWorkspaceDelete",
  },
} as const satisfies Record<string, { kind: Kind; query: keyof AnyQuery }>;

export type QueryValues = {
  readonly [F in keyof typeof QUERY_OPTIONS]?: (typeof QUERY_OPTIONS)[F]["type"] extends "boolean"
    ? boolean
    : string;
};

export function applyQuery(kind: Kind, values: QueryValues): Record<string, boolean | number> {
  const query: Record<string, boolean | number> = { dryRun: values["dry-run"] === true };
  for (const [flag, { kind: only, query: parameter }] of Object.entries(KIND_FLAGS)) {
    const given = values[flag as keyof typeof KIND_FLAGS];
    if (given === undefined || given === false) continue;
    if (only !== kind) {
      throw new UsageError(`--${flag} applies to --kind ${only} only (this is --kind ${kind})`);
    }
    query[parameter] = flag === "wait" ? (integerFlag("wait", given as string) as number) : true;
  }
  return query;
}

/** The query of an apply step's flags as its stack writes them (`["--wait=300"]`). */
export function queryFromArgs(
  kind: Kind,
  args: readonly string[],
): Record<string, boolean | number> {
  const { values } = parseArgs({ args: [...args], options: QUERY_OPTIONS, strict: true });
  return applyQuery(kind, values);
}
