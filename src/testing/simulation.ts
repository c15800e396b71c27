/**
 * A stack compiled for simulation (`CompiledStack`: compile once, simulate many personas) and one
 * persona's answers (`AccessSimulation`): the evaluator's report, plus what the matchers need to
 * explain a failure (the full-detail answer for one data source, whether its columns are known).
 */
import { compileTenant, simulateAccess as evaluate } from "../access/simulate";
import type { CompiledTenant } from "../access/tenant";
import type {
  AccessCatalog,
  AccessReport,
  AccessWarning,
  DataSourceAccess,
  SimulateOptions,
  SimulatedUser,
  TenantInput,
  UserSummary,
} from "../access/types";
import { tenantFromPayloads } from "../access/from-payloads";
import { describeUser } from "./describe";
import { oneTenant, sortObjects, type StackObject, type UnsimulatedObject } from "./stack-objects";

/** A user to simulate; `name` is how failure messages call them (`analyst`). */
export interface Persona extends SimulatedUser {
  readonly name?: string;
}

/** How a stack is read. */
export interface StackOptions {
  /**
   * The tables and columns each connection can see, or the path of a catalog file (the format of
   * `immuta-v2 serve --catalog`). Needed for connections that take every table; without it a
   * listed table's columns are only those its column tags name. @default none
   */
  readonly catalog?: AccessCatalog | string;
  /**
   * The user the stack is deployed as: Immuta makes the caller an owner of every data source,
   * which `ownerRestrictions` can match. @default unknown
   */
  readonly caller?: string;
  /**
   * The tenant to simulate, by its ImmutaProvider (or its resource name prefix), when the stack
   * has several. @default the stack's only tenant
   */
  readonly tenant?: string | { readonly prefix: string };
  /**
   * An object holding a value known only at apply time where the simulator looks (a hostname
   * from another resource, say) is an error (`"error"`), or is left out of the simulation and
   * listed in `skipped` (`"skip"`). @default "error"
   */
  readonly unresolved?: "error" | "skip";
}

export class CompiledStack {
  readonly #tenant: CompiledTenant;
  /** Objects of the stack left out of the simulation (`unresolved: "skip"`), each with why. */
  readonly skipped: readonly UnsimulatedObject[];

  constructor(tenant: CompiledTenant, skipped: readonly UnsimulatedObject[] = []) {
    this.#tenant = tenant;
    this.skipped = skipped;
  }

  /** The evaluator's compiled tenant. */
  get tenant(): CompiledTenant {
    return this.#tenant;
  }

  simulate(user: Persona, options: SimulateOptions = {}): AccessSimulation {
    return new AccessSimulation(this.#tenant, user, options, this.skipped);
  }
}

/** Compiles the objects of one tenant of a stack. */
export function compileObjects(
  objects: readonly StackObject[],
  options: StackOptions,
  catalog: AccessCatalog | undefined,
  subject: string,
  tenantOption = "tenant",
): CompiledStack {
  const wanted = typeof options.tenant === "object" ? options.tenant.prefix : options.tenant;
  const chosen = oneTenant(objects, wanted, subject, tenantOption);
  const { payloads, skipped } = sortObjects(chosen, options.unresolved ?? "error", subject);
  const input = tenantFromPayloads(payloads, {
    ...(catalog ? { catalog } : {}),
    ...(options.caller !== undefined ? { caller: options.caller } : {}),
  });
  return new CompiledStack(compileTenant(input), skipped);
}

/** A tenant given as payloads (`TenantInput`), with the options' catalog and caller laid over. */
export function compileInput(input: TenantInput, options: StackOptions, catalog?: AccessCatalog) {
  return new CompiledStack(
    compileTenant({
      ...input,
      ...(catalog ? { catalog } : {}),
      ...(options.caller !== undefined ? { caller: options.caller } : {}),
    }),
  );
}

/** One persona's access to every data source of a tenant. */
export class AccessSimulation implements AccessReport {
  readonly user: UserSummary;
  /** Sorted by name. */
  readonly dataSources: readonly DataSourceAccess[];
  readonly warnings: readonly AccessWarning[];
  /** Objects of the stack left out of the simulation (`unresolved: "skip"`), each with why. */
  readonly skipped: readonly UnsimulatedObject[];
  /** How failure messages name the user: the persona's name, or what they are. */
  readonly persona: string;
  readonly #tenant: CompiledTenant;
  readonly #user: SimulatedUser;
  readonly #options: SimulateOptions;
  readonly #byName: ReadonlyMap<string, DataSourceAccess>;

  constructor(
    tenant: CompiledTenant,
    persona: Persona,
    options: SimulateOptions,
    skipped: readonly UnsimulatedObject[],
  ) {
    const { name, ...user } = persona;
    const report = evaluate(tenant, user, options);
    this.user = report.user;
    this.dataSources = report.dataSources;
    this.warnings = report.warnings;
    this.skipped = skipped;
    this.persona = name ?? describeUser(report.user);
    this.#tenant = tenant;
    this.#user = user;
    this.#options = options;
    this.#byName = new Map(report.dataSources.map((d) => [d.name, d]));
  }

  dataSource(name: string): DataSourceAccess | undefined {
    return this.#byName.get(name);
  }

  /**
   * One data source's answer in full detail: also the policies whose circumstances do not match
   * it and the masking rules that do not target each column, each with why.
   */
  explain(name: string): DataSourceAccess | undefined {
    if (!this.#byName.has(name)) return undefined;
    const report = evaluate(this.#tenant, this.#user, {
      ...this.#options,
      detail: "full",
      dataSources: [name],
    });
    return report.dataSources[0];
  }

  /** False when no catalog listed the data source's table: only its tagged columns are known. */
  columnsKnown(name: string): boolean | undefined {
    return this.#tenant.sources.get(name)?.columnsKnown;
  }
}
