/**
 * `immuta-v2 plan`: what a deploy would make Immuta do, for review before anything changes.
 * Terraform's plan shows which payloads change; this POSTs each affected payload with
 * `dryRun=true` and reports Immuta's answer: data sources created, disabled or deleted, policies
 * applied, access gained and lost, and objects the deploy's guard will refuse.
 */
import { basename, resolve } from "node:path";
import { ImmutaError, UsageError } from "../../errors";
import { entryName } from "../../layout/names";
import { tenantObjects, type State } from "../../layout/state";
import { accessChange } from "../../review/access";
import type { Report } from "../../review/report";
import {
  holdsKey,
  reviewApply,
  reviewDelete,
  type ObjectReview,
  type Target,
} from "../../review/review";
import {
  readStackConfiguration,
  type ConfiguredObject,
  type StackConfiguration,
} from "../../review/stack-config";
import { instanceId, payloadOf, readPlan, type PlannedChange } from "../../review/terraform-json";
import { KeyRefusedError } from "../../review/review";
import { Tenants } from "../../review/tenants";
import { blockOf } from "../../review/tenant-change";
import { personaReview, type PersonaInputs } from "../../review/plan-personas";
import { loadPersonasFile } from "../../review/personas-file";
import { loadCatalogFile } from "../../testing/catalog-file";
import { parse } from "../args";
import type { Command } from "../command";
import { CONNECTION_HELP, CONNECTION_OPTIONS } from "../connection";
import type { Io } from "../io";
import { subject } from "../outcome";
import { inParallel } from "../parallel";
import type { Secrets } from "../redaction";
import { readFormat, render, reviewExitCode, runReview } from "../review-command";
import { pullState } from "../terraform";

const help = `Usage: immuta-v2 plan --stack-dir DIR [--plan-json FILE] [--format text|markdown|json]

Reports what a deploy of a synthesized stack would make Immuta do. Every affected object's
payload is POSTed with dryRun=true (nothing changes) and Immuta's answer is summarised: data
sources created, updated, disabled or deleted, policies applied, projects' data sources, and
for subscription policies and projects the groups, attributes and purposes gained and lost.
Deletions and disabled data sources come first.

Options:
  --stack-dir DIR     the synthesized stack: cdktf.out/stacks/NAME (required)
  --plan-json FILE    "terraform show -json" of a saved plan: only the objects Terraform will
                      create, replace or delete are checked, and access changes are read from the
                      payloads before and after. Without it every object is checked, and the
                      deletions are read from the stack's state when it has one.
  --format FORMAT     text (default), markdown (one pull-request comment, under GitHub's
                      65,536-character limit) or json
  --json              the same as --format json
  --personas FILE     a personas file (YAML or JSON: personas: { NAME: { groups, attributes,
                      purposes, project } }): each persona's access is simulated before and after
                      the change, and what changes is shown first ("contractor: email on
                      public.customers: masked (Hash) → clear")
  --catalog FILE      with --personas: the tables and columns each connection sees (the format of
                      immuta-v2 serve --catalog); needed for connections that take every table
  --all               text: list unchanged objects too
  --verbose           log each request and answer to stderr

${CONNECTION_HELP}
The stack's own provisioner flags (--url, --api-key-env, ...) choose each tenant; the flags above
are used where the stack leaves them to the environment.

Exit codes (like terraform plan -detailed-exitcode):
  0  Immuta would change nothing
  1  error (including usage errors, objects that could not be checked, and keys Immuta holds
     outside the stack, which the deploy's guard will refuse)
  2  Immuta would change something
`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  "stack-dir": { type: "string" },
  "plan-json": { type: "string" },
  format: { type: "string" },
  json: { type: "boolean" },
  personas: { type: "string" },
  catalog: { type: "string" },
  all: { type: "boolean" },
  verbose: { type: "boolean" },
} as const;

export const command: Command = {
  help,
  run: (args, io) =>
    runReview(io, async (out, secrets) => {
      const { values } = parse("plan", args, OPTIONS);
      if (!values["stack-dir"]) throw new UsageError("--stack-dir is required");
      const format = readFormat(values.format, values.json);
      const stackDir = resolve(out.cwd, values["stack-dir"]);
      const config = readStackConfiguration(stackDir);
      const plan = values["plan-json"]
        ? readPlan(resolve(out.cwd, values["plan-json"]))
        : undefined;
      if (values.catalog && !values.personas) {
        throw new UsageError("--catalog goes with --personas");
      }
      // Read before any request: a mistake in either file ends the review at once.
      const personasFile = values.personas;
      const catalogFile = values.catalog;
      const personas = personasFile
        ? {
            personas: fromFlag("personas", () => loadPersonasFile(resolve(out.cwd, personasFile))),
            catalog: catalogFile
              ? fromFlag("catalog", () => loadCatalogFile(resolve(out.cwd, catalogFile)))
              : undefined,
          }
        : undefined;
      const tenants = new Tenants(values, out, secrets, values.verbose === true);
      try {
        const report = await review(config, plan, stackDir, tenants, out, secrets, personas);
        out.stdout.write(render(report, format, out, values.all === true));
        return reviewExitCode(report);
      } catch (error) {
        if (error instanceof KeyRefusedError) error.keyEnvs = tenants.keyEnvs();
        throw error;
      } finally {
        await tenants.close();
      }
    }),
};

/** A file a flag names, read; its problems said as the flag's. */
function fromFlag<T>(flag: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ImmutaError) throw new UsageError(`--${flag} ${error.message}`);
    throw error;
  }
}

/** An object the deploy applies, with what the review needs to say about it. */
interface Apply extends Target {
  readonly object: ConfiguredObject;
  /** New to the stack (a create, not a replace): the guard will ask whether Immuta holds it. */
  readonly isNew: boolean;
  /** The code adopts it (`adopt: true`, or `adoptExisting` on its provider). */
  readonly adopting: boolean;
}

/** An object the deploy deletes: removed from the code, or an old key. */
interface Deletion {
  readonly kind: ConfiguredObject["kind"];
  readonly key: string;
  readonly tenant: string;
  /** Its payload as last applied, when known (to recognise a renamed connection). */
  readonly applied?: unknown;
}

async function review(
  config: StackConfiguration,
  plan: Map<string, PlannedChange> | undefined,
  stackDir: string,
  tenants: Tenants,
  io: Io,
  secrets: Secrets,
  personas?: PersonaInputs,
): Promise<Report> {
  const notes: string[] = [];
  // Without a plan, the state says what exists: deletions, and which objects are new.
  let state: State | undefined;
  if (!plan) {
    try {
      state = await pullState(stackDir, io.env);
    } catch (error) {
      notes.push(`deletions not checked: ${(error as Error).message}`);
    }
  }
  const applies = appliesOf(config, plan, state, tenants);
  const deletions = deletionsOf(config, plan, state);
  const renamed = renamedConnections(applies, deletions);

  // Projects last: a dry run cannot see what the others would create, so a project naming a
  // purpose or data source this plan creates is refused now, yet fine once the deploy ran.
  const others = applies.filter((a) => a.kind !== "project");
  const projects = applies.filter((a) => a.kind === "project");
  const reviews: ObjectReview[] = await inParallel(others, 8, (target) =>
    reviewOne(target, io, secrets, renamed),
  );
  const created = createdByPlan(reviews, others);
  for (const review of await inParallel(projects, 8, (t) => reviewOne(t, io, secrets, renamed))) {
    const names = namesOf(review, projects).filter((n) => created.has(n));
    const refusedForNow =
      review.outcome.type === "error" && review.outcome.status === 400 && names.length > 0;
    reviews.push(
      refusedForNow
        ? {
            ...review,
            outcome: {
              type: "unknown",
              summary:
                `${subject(review.kind, review.key)}: not checked: it names what this plan ` +
                `creates (${names.join(", ")}), which Immuta cannot see in a dry run`,
            },
          }
        : review,
    );
  }

  const named = purposesNamedByProjects(applies, config);
  reviews.push(
    ...(await inParallel(deletions, 8, (d) => {
      const tenant = config.tenants.get(d.tenant);
      const client = tenants.client(tenant?.connection ?? {});
      const successor = renamed.get(d.key);
      return reviewDelete(
        d.kind,
        d.key,
        client,
        d.kind === "purpose" && named.has(d.key),
        successor
          ? `deleted first: "${successor}" is the same connection (a renamed connectionKey)`
          : "removed from the stack",
      );
    })),
  );
  for (const [old, successor] of renamed) {
    notes.push(
      `data source connection "${old}" is renamed "${successor}": Immuta allows one key per ` +
        `connection, so the deploy deletes "${old}" first; its data sources leave the projects ` +
        `naming them and are named again once "${successor}" exists`,
    );
  }
  if (!plan) notes.push("no --plan-json: every object of the stack was checked");
  const access = personas && personaReview(config, plan, state, personas);
  return {
    title: "Immuta plan",
    stack: basename(stackDir),
    objects: reviews,
    notes: [...notes, ...(access?.notes ?? [])],
    ...(access ? { personas: access.changes } : {}),
  };
}

function appliesOf(
  config: StackConfiguration,
  plan: Map<string, PlannedChange> | undefined,
  state: State | undefined,
  tenants: Tenants,
): Apply[] {
  // Without a plan, what was last applied (the state) is what access is compared against.
  const applied = new Map(
    [...config.tenants.keys()].flatMap((prefix) =>
      state
        ? tenantObjects(state, prefix).map((o) => [`${prefix}/${o.kind}/${o.key}`, o.payload])
        : [],
    ),
  );
  return config.objects.flatMap((object) => {
    const change = plan?.get(instanceId(object.type, object.block, object.key));
    if (plan && (!change || change.action === "no-op" || change.action === "delete")) return [];
    const after = change ? payloadOf(object.type, change.after, change.afterUnknown) : undefined;
    const id = `${object.tenant}/${object.kind}/${object.key}`;
    const before = change ? payloadOf(object.type, change.before)?.payload : applied.get(id);
    const desired = after ?? object.desired;
    const tenant = config.tenants.get(object.tenant);
    return [
      {
        object,
        kind: object.kind,
        key: object.key,
        payload: desired.payload,
        unknown: desired.unknown,
        terraform: change ? describeAction(change) : undefined,
        access: accessChange(object.kind, before, desired.payload),
        client: tenants.client(object.connection),
        adopting:
          tenant?.adoptAll === true ||
          tenant?.adopt.has(entryName(object.kind, object.key)) === true,
        isNew: change ? change.action === "create" : state !== undefined && !applied.has(id),
      },
    ];
  });
}

/** What the deploy deletes: instances the plan destroys, or (no plan) the state holds undeclared. */
function deletionsOf(
  config: StackConfiguration,
  plan: Map<string, PlannedChange> | undefined,
  state: State | undefined,
): Deletion[] {
  const deletions: Deletion[] = [];
  if (plan) {
    for (const [id, change] of plan) {
      if (change.action !== "delete") continue;
      const [type, name, key] = JSON.parse(id) as [string, string, string | null];
      const block = blockOf(config, type, name);
      if (!block || key === null) continue;
      deletions.push({
        kind: block.kind,
        key,
        tenant: block.tenant,
        applied: payloadOf(type, change.before)?.payload,
      });
    }
    return deletions;
  }
  if (!state) return deletions;
  const declared = new Set(config.objects.map((o) => `${o.tenant}/${o.kind}/${o.key}`));
  for (const prefix of config.tenants.keys()) {
    for (const o of tenantObjects(state, prefix)) {
      if (declared.has(`${prefix}/${o.kind}/${o.key}`)) continue;
      deletions.push({ kind: o.kind, key: o.key, tenant: prefix, applied: o.payload });
    }
  }
  return deletions;
}

/** Old connection key → its new key, where a deleted and a new connection are the same one. */
function renamedConnections(applies: readonly Apply[], deletions: readonly Deletion[]) {
  const renamed = new Map<string, string>();
  const identity = (p: unknown) => {
    const c = (p as { connection?: Record<string, unknown> } | undefined)?.connection;
    if (!c) return undefined;
    const norm = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : String(v ?? ""));
    return [c.handler, c.hostname, c.database].map(norm).join("|");
  };
  for (const d of deletions) {
    if (d.kind !== "data") continue;
    const old = identity(d.applied);
    const successor = applies.find(
      (a) => a.kind === "data" && a.isNew && old !== undefined && identity(a.payload) === old,
    );
    if (successor) renamed.set(d.key, successor.key);
  }
  return renamed;
}

/** One object's review: Immuta's answer to its dry run, and whether its key is someone else's. */
async function reviewOne(
  target: Apply,
  io: Io,
  secrets: Secrets,
  renamed: ReadonlyMap<string, string>,
): Promise<ObjectReview> {
  const review = await reviewApply(target, io.env, secrets);
  const renaming = [...renamed.entries()].find(([, successor]) => successor === target.key);
  if (renaming && target.kind === "data" && review.outcome.type === "error") {
    return {
      ...review,
      outcome: {
        type: "unknown",
        summary:
          `${subject(target.kind, target.key)}: not checked: it is the same connection as ` +
          `"${renaming[0]}", which the deploy deletes first`,
      },
    };
  }
  if (!target.isNew) return review;
  let held: boolean;
  try {
    held = await holdsKey(target.client, target.kind, target.key);
  } catch (error) {
    return {
      ...review,
      outcome: {
        type: "error",
        summary: `${subject(target.kind, target.key)}: cannot tell whether Immuta already holds it: ${(error as Error).message}`,
      },
    };
  }
  if (!held) return review;
  return target.adopting
    ? { ...review, adopting: true }
    : {
        ...review,
        held: true,
        outcome: {
          type: "error",
          summary:
            `${subject(target.kind, target.key)}: Immuta already holds it and this stack has ` +
            `never managed it; the deploy will refuse it (adopt: true takes it over; immuta-v2 ` +
            `import brings it into code)`,
        },
      };
}

/** The purposes (with their sub-purposes) and data sources this plan would create. */
function createdByPlan(
  reviews: readonly ObjectReview[],
  targets: readonly { kind: string; key: string; payload: unknown }[],
): Set<string> {
  const created = new Set<string>();
  reviews.forEach((review, i) => {
    const { outcome } = review;
    if (outcome.type !== "change" && outcome.type !== "unknown") return;
    if (review.kind === "purpose") {
      const walk = (p: { name?: unknown; subpurposes?: unknown[] } | undefined) => {
        if (typeof p?.name === "string") created.add(`purpose ${p.name}`);
        for (const sub of p?.subpurposes ?? []) walk(sub as typeof p);
      };
      walk(targets[i].payload as Parameters<typeof walk>[0]);
    }
    if (review.kind === "data" && outcome.type === "change") {
      const r = outcome.response as { creating: string[]; updating: string[] };
      for (const name of [...r.creating, ...r.updating]) created.add(`data source ${name}`);
    }
  });
  return created;
}

/** What a project names, in the form createdByPlan lists. */
function namesOf(
  review: ObjectReview,
  projects: readonly { key: string; payload: unknown }[],
): string[] {
  const payload = projects.find((p) => p.key === review.key)?.payload as
    { purposes?: unknown[]; datasources?: unknown[] } | undefined;
  return [
    ...(payload?.purposes ?? []).map((p) => `purpose ${String(p)}`),
    ...(payload?.datasources ?? []).map((d) => `data source ${String(d)}`),
  ];
}

/**
 * The purposes the stack's projects will name after the deploy (through a sub-purpose too:
 * `Research.Fraud` names `Research`). Data sources are named by table, not by connection, so a
 * removed connection cannot be checked this way.
 */
function purposesNamedByProjects(
  applies: readonly { kind: string; payload: unknown }[],
  config: StackConfiguration,
): Set<string> {
  const named = new Set<string>();
  const payloads = [
    ...applies,
    ...config.objects.map((o) => ({ kind: o.kind, payload: o.desired.payload })),
  ];
  for (const { kind, payload } of payloads) {
    if (kind !== "project") continue;
    for (const purpose of (payload as { purposes?: unknown[] } | undefined)?.purposes ?? []) {
      const parts = String(purpose).split(".");
      for (let i = 1; i <= parts.length; i++) named.add(parts.slice(0, i).join("."));
    }
  }
  return named;
}

function describeAction(change: PlannedChange): string {
  if (change.action === "replace") {
    return change.reason === "replace_because_tainted"
      ? "apply again (the last attempt failed)"
      : "apply the changed payload";
  }
  return change.action === "create" ? "apply a new object" : change.action;
}
