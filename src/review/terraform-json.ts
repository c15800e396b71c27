/**
 * The parts of `terraform show -json PLANFILE` the review needs
 * (https://developer.hashicorp.com/terraform/internals/json-format): each resource instance's
 * planned action, and the payload before and after.
 */
import { readFileSync } from "node:fs";
import { PayloadFileError } from "../errors";
import { CARRIER_ATTRIBUTES, isCarrierName } from "../layout/carriers";
import { unknownPaths, type ReadPayload } from "./terraform-values";

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
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly deposed?: string;
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

/** How a plan's changes are looked up: by resource type, name and instance key. */
export function instanceId(type: string, name: string, index?: string): string {
  return JSON.stringify([type, name, index ?? null]);
}

/** Changes by instance (see `instanceId`), from `terraform show -json PLANFILE`. */
export function readPlan(file: string): Map<string, PlannedChange> {
  let plan: { resource_changes?: RawChange[] };
  try {
    plan = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new PayloadFileError(
      `${file}: cannot read the plan (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); ` +
        `produce it with: terraform show -json PLANFILE > ${file}`,
    );
  }
  if (!Array.isArray(plan.resource_changes)) {
    throw new PayloadFileError(`${file}: not the JSON of a saved plan (no resource_changes)`);
  }
  const changes = new Map<string, PlannedChange>();
  for (const raw of plan.resource_changes) {
    // A deposed object (the old half of a create-before-destroy replacement) sends nothing.
    if (raw.mode === "data" || raw.deposed) continue;
    const index = raw.index === undefined ? undefined : String(raw.index);
    changes.set(instanceId(raw.type, raw.name, index), {
      action: actionOf(raw.change.actions),
      before: raw.change.before,
      after: raw.change.after,
      afterUnknown: raw.change.after_unknown ?? {},
      reason: raw.action_reason,
    });
  }
  return changes;
}

/** The payload a carrier instance holds in a plan's `before` or `after`. */
export function payloadOf(
  type: string,
  values: Record<string, unknown> | null,
  unknown: Record<string, unknown> = {},
): ReadPayload | undefined {
  if (!values || !isCarrierName(type)) return undefined;
  const flags =
    type === "terraform_data"
      ? unknown.triggers_replace
      : (unknown.triggers as Record<string, unknown> | undefined)?.payload;
  if (flags === true) return { payload: undefined, unknown: ["(payload)"] };
  const paths = unknownPaths(flags);
  const payload = CARRIER_ATTRIBUTES[type].readPayload(values);
  return payload === undefined ? undefined : { payload, unknown: paths };
}
