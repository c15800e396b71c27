/**
 * The governance stack of the synth, deploy and no-op scenarios, built with our constructs: `count`
 * objects, a quarter of each kind, each project naming a sub-purpose and two tables of the stack
 * (so the graph has real dependencies).
 */
import type { TerraformStack } from "cdktf";
import type * as Immuta from "../../src";
import type { PolicyPayload, PurposePayload } from "../../src";
import { dataSourcePayload, policyPayload, projectPayload, purposePayload } from "./payloads";

export function buildGovernance(stack: TerraformStack, lib: typeof Immuta, count: number): void {
  new lib.ImmutaProvider(stack, "immuta");
  const perKind = Math.floor(count / 4);
  for (let i = 0; i < perKind; i++) {
    const purpose = new lib.Purpose(stack, `purpose-${i}`, purposePayload(i));
    const warehouse = new lib.DataSource(stack, `warehouse-${i}`, dataSourcePayload(i));
    new lib.GlobalPolicy(stack, `policy-${i}`, policyPayload(i));
    // The same payload as projectPayload(i), with references in place of the names.
    new lib.Project(stack, `project-${i}`, {
      ...projectPayload(i),
      purposes: [purpose.subpurpose("Fraud")],
      datasources: [
        warehouse.dataSourceName("public", "orders"),
        warehouse.dataSourceName("public", "payments"),
      ],
    });
  }
}

/** The payloads of the same objects, as JSON text, for the baselines that carry the same bytes. */
export function governancePayloads(count: number): { id: string; json: string }[] {
  const perKind = Math.floor(count / 4);
  const out: { id: string; json: string }[] = [];
  for (let i = 0; i < perKind; i++) {
    out.push({ id: `purpose-${i}`, json: JSON.stringify(purposePayload(i)) });
    out.push({ id: `warehouse-${i}`, json: JSON.stringify(dataSourcePayload(i)) });
    out.push({ id: `policy-${i}`, json: JSON.stringify(policyPayload(i)) });
    out.push({ id: `project-${i}`, json: JSON.stringify(projectPayload(i)) });
  }
  return out;
}

/**
 * The no-op floor's stack (issue 13): half purposes, half subscription policies, no dependencies
 * between them, so that the comparison with one bare resource per object is about the layout alone.
 */
export function buildFloor(stack: TerraformStack, lib: typeof Immuta, count: number): void {
  new lib.ImmutaProvider(stack, "immuta");
  for (const { id, kind, payload } of floorPayloads(count)) {
    if (kind === "purpose") new lib.Purpose(stack, id, payload as PurposePayload);
    else new lib.GlobalPolicy(stack, id, payload as PolicyPayload);
  }
}

export function floorPayloads(count: number) {
  return Array.from({ length: count }, (_, i) =>
    i % 2 === 0
      ? { id: `purpose-${i}`, kind: "purpose" as const, payload: purposePayload(i) as unknown }
      : { id: `policy-${i}`, kind: "policy" as const, payload: policyPayload(2 * i) as unknown },
  );
}
