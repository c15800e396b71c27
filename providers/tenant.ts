/**
 * The resources of one tenant: a guard that runs first, one block per kind with an instance per
 * object, and a confirm step that runs last, whose input becomes the stack output recording what
 * it confirmed. Every block exists even when its kind has no object, so that removing the last
 * purpose still runs its destroy step (a block removed from the code is destroyed silently).
 */
import { Lazy, TerraformLocal, TerraformOutput, type TerraformResource } from "./cdk";
import {
  blockForm,
  forEachReference,
  instancesLocal,
  writtenInstance,
  type InstanceForm,
  type InstanceValue,
} from "../src/layout/instances";
import type { Construct } from "constructs";
import type { ConnectionSettings } from "../src/layout/connection";
import { describe } from "../src/layout/descriptor";
import {
  KINDS_IN_ORDER,
  NAMED_KINDS,
  blockName,
  confirmName,
  entryName,
  guardName,
  recordOutputName,
} from "../src/layout/names";
import type { Kind } from "../src/payload/kinds";
import type { Carrier, CliArgs } from "./carrier";
import { confirmStep, guardStep, hclString, strandedDeleteStep } from "./steps";
import { TerraformData } from "./terraform-data";
import { addDependsOn, addressOf, escapeTemplate } from "./terraform-values";

/** One object's instance of its kind's block. */
export type { InstanceValue } from "../src/layout/instances";

export interface TenantSpec {
  readonly prefix: string;
  readonly carrier: Carrier;
  readonly cli: CliArgs;
  readonly connection: ConnectionSettings;
  /** What the record says the tenant is: a changed one makes the confirm step re-check all. */
  readonly tenant: string;
  /** What cdktf-immuta 0.1.0 wrote as the tenant of each object, to recognise its objects. */
  readonly legacyTenant: string;
  readonly adoptExisting: boolean;
}

export class TenantResources {
  readonly blocks: Readonly<Record<Kind, TerraformResource>>;
  readonly guard: TerraformData;
  readonly confirms: Readonly<Record<Kind, TerraformData>>;
  readonly outputName: string;
  private readonly instances: Record<Kind, Map<string, InstanceValue>>;
  private readonly adopted = new Set<string>();

  constructor(scope: Construct, spec: TenantSpec) {
    const { prefix, carrier, cli, connection } = spec;
    this.outputName = recordOutputName(prefix);
    this.instances = { purpose: new Map(), data: new Map(), policy: new Map(), project: new Map() };

    const entries = () =>
      KINDS_IN_ORDER.flatMap((kind) =>
        [...this.instances[kind].keys()].map((k) => entryName(kind, k)),
      )
        .sort()
        .map(escapeTemplate);
    this.guard = new TerraformData(scope, guardName(prefix), {
      triggersReplace: Lazy.anyValue({ produce: entries }),
      input: Lazy.anyValue({
        produce: () => ({
          adopt: [...this.adopted].sort().map(escapeTemplate),
          adopt_all: spec.adoptExisting,
          legacy_tenant: escapeTemplate(spec.legacyTenant),
        }),
      }),
      provisioners: [guardStep(prefix, cli)],
    });
    this.guard.overrideLogicalId(guardName(prefix));
    this.guard.addOverride("//", describe({ role: "guard", tenant: prefix, connection }));

    // Per kind: its block, then its confirm step; a kind's block waits for the confirm steps of
    // the kinds its objects name, so that a purpose a killed deploy never sent is sent before the
    // project naming it.
    const tenant = hclString(spec.tenant);
    const blocks = {} as Record<Kind, TerraformResource>;
    const confirms = {} as Record<Kind, TerraformData>;
    for (const kind of KINDS_IN_ORDER) {
      const values = this.instances[kind];
      const name = blockName(prefix, kind);
      // Known once every construct has added its object: at synth.
      const formNow = () => blockForm(values.values());
      const form: InstanceForm = {
        payload: Lazy.stringValue({ produce: () => formNow().payload }),
        file: Lazy.stringValue({ produce: () => formNow().file }),
        flags: Lazy.stringValue({ produce: () => formNow().flags }),
      };
      const local = new TerraformLocal(
        scope,
        instancesLocal(name),
        Lazy.anyValue({
          produce: () => {
            const written = formNow();
            return Object.fromEntries(
              [...values.entries()]
                .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
                .map(([key, value]) => [escapeTemplate(key), writtenInstance(value, written)]),
            );
          },
        }),
      );
      local.overrideLogicalId(instancesLocal(name));
      const block = carrier.block(scope, {
        kind,
        name,
        tenant: prefix,
        cli,
        instances: forEachReference(name),
        form,
      });
      block.addOverride("//", describe({ role: "objects", tenant: prefix, kind, connection }));
      addDependsOn(block, this.guard);
      for (const named of NAMED_KINDS[kind]) addDependsOn(block, confirms[named]);
      blocks[kind] = block;

      // Over every instance of the block: `{ "purpose/Research" = <expression of v> }`.
      const perObject = (expression: (v: string) => string) =>
        `{ for k, v in ${addressOf(block)} : "${kind}/\${k}" => ${expression("v")} }`;
      const confirm = new TerraformData(scope, confirmName(prefix, kind), {
        // Any re-created instance (a new id) runs the step again.
        triggersReplace: `\${{ tenant = ${tenant}, ids = ${perObject((v) => `${v}.id`)} }}`,
        input: `\${{ tenant = ${tenant}, digests = ${perObject(
          (v) => `sha256(${carrier.attributes.payloadText(v)})`,
        )} }}`,
        provisioners: [
          confirmStep(
            prefix,
            kind,
            this.outputName,
            cli,
            perObject((v) => carrier.attributes.marker(v)),
          ),
          strandedDeleteStep(prefix, kind, this.outputName, cli),
        ],
      });
      confirm.overrideLogicalId(confirmName(prefix, kind));
      confirm.addOverride(
        "//",
        describe({ role: "confirm", tenant: prefix, kind, connection, output: this.outputName }),
      );
      confirms[kind] = confirm;
    }
    this.blocks = blocks;
    this.confirms = confirms;

    const digests = KINDS_IN_ORDER.map((kind) => `${addressOf(confirms[kind])}.output.digests`);
    new TerraformOutput(scope, "manifest", {
      value: `\${{ tenant = ${tenant}, digests = merge(${digests.join(", ")}) }}`,
      description:
        "What the last deploy confirmed Immuta holds for this tenant (digest of each object's payload)",
    }).overrideLogicalId(this.outputName);
  }

  /** Adds one object's instance; returns its block. */
  add(kind: Kind, key: string, value: InstanceValue, adopt: boolean): TerraformResource {
    this.instances[kind].set(key, value);
    if (adopt) this.adopted.add(entryName(kind, key));
    return this.blocks[kind];
  }

  has(kind: Kind, key: string): boolean {
    return this.instances[kind].has(key);
  }
}
