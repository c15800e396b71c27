/**
 * `simulateAccess(tenant, user)`: per data source, whether the user may subscribe and why, what
 * they see of each column, and which row filters and purpose restrictions apply, every answer
 * naming its policy and rule. A project the user acts under is laid over the answers at the end:
 * it is the one thing that depends on a data source's name.
 */
import { ValidationError } from "../errors";
import { Evaluator, type Core } from "./evaluator";
import { textValue, type ResolvedSource } from "./resolve";
import { compileSubscription, decideSubscription } from "./subscription";
import { CompiledTenant } from "./tenant";
import type {
  AccessReport,
  AccessWarning,
  DataSourceAccess,
  SimulateOptions,
  SimulatedUser,
  TenantInput,
  UserSummary,
} from "./types";
import { userContext, type UserContext } from "./user";

/** Compiles the tenant once, for simulating several users. Throws `ValidationError` on bad input. */
export function compileTenant(input: TenantInput): CompiledTenant {
  return new CompiledTenant(input);
}

export function simulateAccess(
  tenantOrInput: CompiledTenant | TenantInput,
  user: SimulatedUser,
  options: SimulateOptions = {},
): AccessReport {
  const tenant =
    tenantOrInput instanceof CompiledTenant ? tenantOrInput : compileTenant(tenantOrInput);
  const warnings: AccessWarning[] = [...tenant.warnings];
  const project = user.project === undefined ? undefined : tenant.project(user.project);
  if (user.project !== undefined && !project) {
    throw new ValidationError("simulated user", [
      {
        path: "project",
        message: `no project "${user.project}" (by projectKey or name) in the tenant${
          tenant.projects.length > 0
            ? `; it has ${tenant.projects.map((p) => p.projectKey).join(", ")}`
            : ""
        }`,
      },
    ]);
  }
  const context = userContext(user, project?.purposes ?? []);
  if (tenant.purposes.size > 0) {
    (user.purposes ?? []).forEach((p, i) => {
      if (!tenant.purposes.has(p)) {
        warnings.push({ path: `user.purposes[${i}]`, message: `no purpose "${p}" in the tenant` });
      }
    });
  }
  const evaluator = new Evaluator(tenant, context, options);
  const inProject = project ? new Set(project.datasources ?? []) : undefined;
  const outside = project
    ? `not in project ${project.projectKey}, which you act under (a project shows only its own data sources)`
    : "";
  const dataSources = chosenSources(tenant, options.dataSources).map((source) => {
    const core = evaluator.core(source);
    if (!inProject) return answer(source, core, undefined);
    if (inProject.has(source.name)) return answer(source, core, true);
    return answer(source, evaluator.blocked(core, outside), false);
  });
  return { user: summary(user, context, project, warnings), dataSources, warnings };
}

/** A data source's answer: its own fields, then its shape's (listed, not spread: 10,000 of these). */
function answer(
  source: ResolvedSource,
  core: Core,
  inProject: boolean | undefined,
): DataSourceAccess {
  return {
    name: source.name,
    connectionKey: source.connectionKey,
    tableTags: source.tableTags,
    visible: core.visible,
    why: core.why,
    subscription: core.subscription,
    ...(inProject === undefined ? {} : { inProject }),
    policies: core.policies,
    columns: core.columns,
    rowFilters: core.rowFilters,
    purposeRestrictions: core.purposeRestrictions,
    excused: core.excused,
    ...(core.notApplied ? { notApplied: core.notApplied } : {}),
  };
}

function chosenSources(
  tenant: CompiledTenant,
  names: readonly string[] | undefined,
): ResolvedSource[] {
  if (names === undefined) {
    return [...tenant.sources.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  }
  const missing = names.filter((n) => !tenant.sources.has(n));
  if (missing.length > 0) {
    const known = [...tenant.sources.keys()].sort();
    const shown =
      known.length > 12
        ? `${known.slice(0, 12).join(", ")}, ... ${known.length} in all`
        : known.join(", ");
    throw new ValidationError(
      "access simulation options",
      missing.map((n) => ({
        path: `dataSources[${names.indexOf(n)}]`,
        message: `no data source "${n}" in the tenant (it has ${shown || "none"})`,
      })),
    );
  }
  return [...new Set(names)].sort().map((n) => tenant.sources.get(n)!);
}

function summary(
  user: SimulatedUser,
  context: UserContext,
  project: ReturnType<CompiledTenant["project"]>,
  warnings: AccessWarning[],
): UserSummary {
  const attributes: Record<string, string[]> = {};
  for (const [name, values] of context.attributes) attributes[name] = [...values];
  const base = { groups: [...(user.groups ?? [])], attributes, purposes: context.purposes };
  if (!project) return base;
  const ref = { policyKey: `project ${project.projectKey}`, name: textValue(project.name) };
  const rule = compileSubscription(
    ref,
    project.subscriptionPolicy ?? { type: "manual" },
    `projects[${JSON.stringify(project.projectKey)}].subscriptionPolicy`,
    warnings,
  );
  const membership = decideSubscription([rule], context, {
    tableTags: (project.tags ?? []).map(textValue),
    columnTags: [],
  });
  return {
    ...base,
    project: {
      projectKey: project.projectKey,
      name: ref.name,
      purposes: project.purposes ?? [],
      datasources: project.datasources ?? [],
      membership,
    },
  };
}
