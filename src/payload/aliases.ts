/**
 * Immuta's documentation spells two fields two ways. Both are accepted; this turns a validated
 * payload into the one spelling the rest of the code (and Immuta's own examples) use.
 */
import type { Kind } from "./kinds";
import type { PayloadByKind, SubscriptionActions } from "./types";
import { withoutMarkers } from "./unchecked";

/** alias → the name used everywhere else */
export const ALIASES = {
  allowedMaskedJoins: "allowMaskedJoins",
  requiredPermissions: "requiredPermission",
} as const;

function rename<T extends object>(value: T, alias: string, name: string): T {
  if (!(alias in value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k === alias ? name : k] = v;
  return out as T;
}

function normalizeSubscription(actions: SubscriptionActions): SubscriptionActions {
  if (!actions.approvals) return actions;
  return {
    ...actions,
    approvals: actions.approvals.map((a) =>
      rename(a, "requiredPermissions", ALIASES.requiredPermissions),
    ),
  };
}

/**
 * The payload with every alias replaced by its main name, and our own markers dropped (a file's
 * `$schema`, an editor's hint; `$unchecked`, the validator's); other fields untouched.
 */
export function normalizeAliases<K extends Kind>(
  kind: K,
  given: PayloadByKind[K],
): PayloadByKind[K] {
  const payload = withoutMarkers(withoutEditorSchema(given));
  if (kind === "policy") {
    const policy = payload as PayloadByKind["policy"];
    if (policy.type !== "subscription") return payload;
    return { ...policy, actions: normalizeSubscription(policy.actions) } as PayloadByKind[K];
  }
  if (kind === "project") {
    let project = rename(
      payload as PayloadByKind["project"],
      "allowedMaskedJoins",
      ALIASES.allowedMaskedJoins,
    );
    if (project.subscriptionPolicy) {
      project = {
        ...project,
        subscriptionPolicy: normalizeSubscription(project.subscriptionPolicy),
      };
    }
    return project as PayloadByKind[K];
  }
  return payload;
}

function withoutEditorSchema<T extends object>(payload: T): T {
  if (!("$schema" in payload)) return payload;
  const { $schema: _editorHint, ...rest } = payload as T & { $schema?: unknown };
  return rest as T;
}
