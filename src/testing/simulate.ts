/**
 * `simulateAccess(stack, user, options)`: the evaluator on a stack, before anything is deployed.
 * The stack is a construct tree (a `TerraformStack`, or the `App`), a synthesized stack
 * directory, or a tenant's payloads; `compileStack` reads and compiles it once for several
 * personas.
 */
import type { IConstruct } from "constructs";
import { Construct } from "../../providers/cdk";
import { CompiledTenant } from "../access/tenant";
import type { AccessCatalog, SimulateOptions, TenantInput } from "../access/types";
import { loadCatalogFile } from "./catalog-file";
import { objectsOfConstructs } from "./read-constructs";
import { objectsOfDirectory } from "./read-directory";
import {
  AccessSimulation,
  CompiledStack,
  compileInput,
  compileObjects,
  type Persona,
  type StackOptions,
} from "./simulation";

/** What can be simulated. */
export type AccessSource = IConstruct | string | TenantInput | CompiledTenant | CompiledStack;

export interface AccessTestOptions extends StackOptions, SimulateOptions {}

/** Reads and compiles a stack once, for simulating several personas (`.simulate(user)`). */
export function compileStack(source: AccessSource, options: StackOptions = {}): CompiledStack {
  if (source instanceof CompiledStack) return source;
  if (source instanceof CompiledTenant) return new CompiledStack(source);
  const catalog = catalogOf(options.catalog);
  if (typeof source === "string") {
    return compileObjects(
      objectsOfDirectory(source),
      options,
      catalog,
      `access simulation of ${source}`,
    );
  }
  if (Construct.isConstruct(source)) {
    const objects = objectsOfConstructs(source);
    const path = source.node.path || "the app";
    if (objects.length === 0) {
      throw new Error(
        `access simulation of ${path}: it holds no Immuta objects (DataSource, GlobalPolicy, ` +
          `Project, Purpose); pass the stack that defines them`,
      );
    }
    return compileObjects(objects, options, catalog, `access simulation of ${path}`);
  }
  return compileInput(source, options, catalog);
}

/**
 * One persona's access to every data source: subscription, columns, row filters, purpose
 * restrictions, each answer naming its policy and rule. Use with the matchers (`toSee`,
 * `toSubscribe`, `toFilterRows`).
 */
export function simulateAccess(
  source: AccessSource,
  user: Persona,
  options: AccessTestOptions = {},
): AccessSimulation {
  const { catalog, caller, tenant, unresolved, ...simulate } = options;
  return compileStack(source, { catalog, caller, tenant, unresolved }).simulate(user, simulate);
}

function catalogOf(catalog: AccessCatalog | string | undefined): AccessCatalog | undefined {
  return typeof catalog === "string" ? loadCatalogFile(catalog) : catalog;
}
