/**
 * `plan --personas`: each persona's access simulated on every tenant of the stack, before the
 * deploy and after it (see `tenant-change.ts`), for the review to show first. What cannot be
 * simulated is a note of the review, never the end of it: the objects' review still stands.
 */
import { UsageError } from "../errors";
import type { State } from "../layout/state";
import { closest } from "../payload/problem-wording";
import { tenantFromPayloads } from "../access/from-payloads";
import type { AccessCatalog } from "../access/types";
import type { AnyPayload } from "../payload/types";
import {
  personaAccessChanges,
  SimulationError,
  type PersonaAccessChange,
  type PersonaAccessReview,
} from "./persona-access";
import type { NamedPersona } from "./personas-file";
import type { StackConfiguration } from "./stack-config";
import { tenantChanges } from "./tenant-change";
import type { PlannedChange } from "./terraform-json";

export interface PersonaReview {
  /** In the personas file's order; `tenant` set when the stack has several. */
  readonly changes: readonly PersonaAccessChange[];
  readonly notes: readonly string[];
}

/** What the review simulates: the personas, and the catalog of columns when given. */
export interface PersonaInputs {
  readonly personas: readonly NamedPersona[];
  readonly catalog?: AccessCatalog;
}

/** `a, b, c and 7 more`: a list a note can hold. */
function some(items: readonly string[], most = 5): string {
  const shown = items.slice(0, most).join(", ");
  return items.length > most ? `${shown} and ${items.length - most} more` : shown;
}

export function personaReview(
  config: StackConfiguration,
  plan: ReadonlyMap<string, PlannedChange> | undefined,
  state: State | undefined,
  inputs: PersonaInputs,
): PersonaReview {
  const { personas, catalog } = inputs;
  if (!plan && !state) {
    // Without the state, "before" would be an empty tenant: every data source would read as new.
    return {
      changes: [],
      notes: ["access by persona not simulated: what was last deployed is unknown (no state)"],
    };
  }
  const tenants = tenantChanges(config, plan, state);
  const several = tenants.length > 1;
  const changes: PersonaAccessChange[] = [];
  const notes: string[] = [];
  const withoutProject = new Map<string, number>();
  for (const tenant of tenants) {
    const where = several ? `[${tenant.prefix}] ` : "";
    const input = (payloads: readonly unknown[]) =>
      tenantFromPayloads(payloads as AnyPayload[], catalog ? { catalog } : {});
    let review: PersonaAccessReview;
    try {
      review = personaAccessChanges(input(tenant.before), input(tenant.after), personas);
    } catch (error) {
      if (!(error instanceof SimulationError)) throw error;
      notes.push(`${where}access by persona not simulated: ${error.message.replace(/\s+/g, " ")}`);
      continue;
    }
    changes.push(...review.changes.map((c) => (several ? { ...c, tenant: tenant.prefix } : c)));
    notes.push(...review.warnings.map((w) => `${where}access simulation: ${w}`));
    for (const name of review.withoutProject) {
      withoutProject.set(name, (withoutProject.get(name) ?? 0) + 1);
    }
    if (tenant.asDeployed.length > 0) {
      notes.push(
        `${where}access simulated as last deployed for ${some(tenant.asDeployed)}: values known ` +
          "only after apply",
      );
    }
    if (tenant.leftOut.length > 0) {
      notes.push(
        `${where}access simulated without ${some(tenant.leftOut)}: new, with values known only ` +
          "after apply",
      );
    }
  }
  // A persona's project lives in one tenant: one that no tenant has, before or after the change,
  // is a mistake in the personas file.
  const unknown = personas.filter((p) => withoutProject.get(p.name) === tenants.length);
  if (unknown.length > 0) {
    const projects = tenants.flatMap((t) =>
      [...t.before, ...t.after].flatMap((payload) => {
        const p = payload as { projectKey?: unknown; name?: unknown };
        return typeof p.projectKey === "string" ? [p.projectKey] : [];
      }),
    );
    const known = [...new Set(projects)].sort();
    throw new UsageError(
      unknown
        .map((p) => {
          const hint = closest(p.project!, known);
          return (
            `persona "${p.name}": no project "${p.project}" in the stack, before or after the ` +
            `change${hint ? ` (did you mean "${hint}"?)` : ""}; projects: ${known.join(", ") || "none"}`
          );
        })
        .join("\n"),
    );
  }
  // Persona by persona, in the file's order, whichever tenant.
  const order = new Map(personas.map((p, i) => [p.name, i]));
  changes.sort((a, b) => order.get(a.persona)! - order.get(b.persona)!);
  if (changes.length === 0) {
    notes.push(`access by persona: no change for ${personas.map((p) => p.name).join(", ")}`);
  }
  return { changes, notes };
}
