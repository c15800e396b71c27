/**
 * `plan --personas`: each persona's access simulated on every tenant of the stack, before the
 * deploy and after it (see `tenant-change.ts`), for the review to show first.
 */
import type { State } from "../layout/state";
import { tenantFromPayloads } from "../access/from-payloads";
import type { AnyPayload } from "../payload/types";
import { loadCatalogFile } from "../testing/catalog-file";
import { personaAccessChanges, type PersonaAccessChange } from "./persona-access";
import { loadPersonasFile } from "./personas-file";
import type { StackConfiguration } from "./stack-config";
import { tenantChanges } from "./tenant-change";
import type { PlannedChange } from "./terraform-json";

export interface PersonaReview {
  /** In the personas file's order; `tenant` set when the stack has several. */
  readonly changes: readonly PersonaAccessChange[];
  readonly notes: readonly string[];
}

export function personaReview(
  config: StackConfiguration,
  plan: ReadonlyMap<string, PlannedChange> | undefined,
  state: State | undefined,
  personasFile: string,
  catalogFile?: string,
): PersonaReview {
  const personas = loadPersonasFile(personasFile);
  const catalog = catalogFile ? loadCatalogFile(catalogFile) : undefined;
  const tenants = tenantChanges(config, plan, state);
  const changes: PersonaAccessChange[] = [];
  const notes: string[] = [];
  for (const tenant of tenants) {
    const input = (payloads: readonly unknown[]) =>
      tenantFromPayloads(payloads as AnyPayload[], catalog ? { catalog } : {});
    const review = personaAccessChanges(input(tenant.before), input(tenant.after), personas);
    const named = tenants.length > 1 ? { tenant: tenant.prefix } : {};
    changes.push(...review.changes.map((change) => ({ ...change, ...named })));
    notes.push(...tenant.notes, ...review.warnings.map((w) => `access simulation: ${w}`));
  }
  // Persona by persona, in the file's order, whichever tenant.
  const order = new Map(personas.map((p, i) => [p.name, i]));
  changes.sort((a, b) => order.get(a.persona)! - order.get(b.persona)!);
  if (changes.length === 0) {
    notes.push(`access by persona: no change for ${personas.map((p) => p.name).join(", ")}`);
  }
  return { changes, notes };
}
