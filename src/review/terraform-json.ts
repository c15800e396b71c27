/**
 * The parts of `terraform show -json` the review needs, for a saved plan and for the state
 * (https://developer.hashicorp.com/terraform/internals/json-format).
 */
import { readFileSync } from "node:fs";
import { PayloadFileError } from "../errors";
import { unknownPaths } from "./terraform-values";

export type Action = "create" | "update" | "replace" | "delete" | "no-op" | "read";

export interface PlannedChange {
  readonly action: Action;
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown> | null;
  readonly afterUnknown: Record<string, unknown>;
  readonly reason?: string;
}

interface RawChange {
  readonly address: string;
  readonly mode?: string;
  readonly change: {
    readonly actions: string[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
    readonly after_unknown?: Record<string, unknown>;
  };
  readonly action_reason?: string;
}

function actionOf(actions: readonly string[]): Action {
  if (actions.includes("create") && actions.includes("delete")) return "replace";
  return (actions[0] ?? "no-op") as Action;
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new PayloadFileError(
      `${file}: cannot read ${what} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); ` +
        `produce it with: terraform show -json PLANFILE > ${file}`,
    );
  }
}

/** Changes by resource address, from `terraform show -json PLANFILE`. */
export function readPlan(file: string): Map<string, PlannedChange> {
  const plan = readJson(file, "the plan") as { resource_changes?: RawChange[] };
  if (!Array.isArray(plan.resource_changes)) {
    throw new PayloadFileError(`${file}: not the JSON of a saved plan (no resource_changes)`);
  }
  const changes = new Map<string, PlannedChange>();
  for (const raw of plan.resource_changes) {
    if (raw.mode === "data") continue;
    changes.set(raw.address, {
      action: actionOf(raw.change.actions),
      before: raw.change.before,
      after: raw.change.after,
      afterUnknown: raw.change.after_unknown ?? {},
      reason: raw.action_reason,
    });
  }
  return changes;
}

export interface StateResource {
  readonly address: string;
  readonly type: string;
  readonly values: Record<string, unknown>;
  readonly tainted: boolean;
}

/** Resources of the state, from `terraform show -json` (no plan file). */
export function parseState(text: string): Map<string, StateResource> {
  const state = JSON.parse(text) as {
    values?: { root_module?: { resources?: (StateResource & { tainted?: boolean })[] } };
  };
  const resources = new Map<string, StateResource>();
  for (const r of state.values?.root_module?.resources ?? []) {
    resources.set(r.address, { ...r, tainted: r.tainted === true });
  }
  return resources;
}

/** The payload a carrier resource holds in a plan's `after` or a state's values. */
export function payloadOf(
  values: Record<string, unknown> | null,
  unknown: Record<string, unknown> = {},
): { payload: unknown; unknown: string[] } | undefined {
  if (!values) return undefined;
  if ("triggers_replace" in values) {
    const value = values.triggers_replace;
    // A payload known at synth is carried as its JSON text.
    if (typeof value === "string") return { payload: JSON.parse(value), unknown: [] };
    return { payload: value, unknown: unknownPaths(unknown.triggers_replace) };
  }
  const triggers = values.triggers as Record<string, string> | undefined;
  if (triggers?.payload !== undefined) {
    const flagged = (unknown.triggers as Record<string, unknown> | undefined)?.payload === true;
    return flagged
      ? { payload: undefined, unknown: ["(payload)"] }
      : { payload: JSON.parse(triggers.payload), unknown: [] };
  }
  return undefined;
}

/** The `kind/key` list a prune resource holds (terraform_data: a list; null_resource: JSON). */
export function manifestOf(values: Record<string, unknown> | null): string[] | undefined {
  if (!values) return undefined;
  if (Array.isArray(values.triggers_replace)) return values.triggers_replace as string[];
  const triggers = values.triggers as Record<string, string> | undefined;
  return triggers?.manifest !== undefined ? (JSON.parse(triggers.manifest) as string[]) : undefined;
}
