/**
 * `immuta-v2 plan`: what a deploy would make Immuta do, for review before anything changes.
 * Terraform's plan shows which payloads change; this POSTs each affected payload with
 * `dryRun=true` and reports Immuta's answer: data sources created, disabled or deleted, policies
 * applied, access gained and lost.
 */
import { basename, resolve } from "node:path";
import { accessChange } from "../../review/access";
import type { Report } from "../../review/report";
import { inParallel, reviewApply, reviewDelete, type ObjectReview } from "../../review/review";
import { readStackConfiguration, type StackConfiguration } from "../../review/stack-config";
import { manifestOf, payloadOf, readPlan, type PlannedChange } from "../../review/terraform-json";
import { parseEntry } from "./prune";
import { readPreviousManifest } from "../previous-manifest";
import { Tenants } from "../../review/tenants";
import { parse } from "../args";
import type { Command } from "../command";
import { CONNECTION_HELP, CONNECTION_OPTIONS } from "../connection";
import type { Io } from "../io";
import { subject } from "../outcome";
import type { Secrets } from "../redaction";
import { readFormat, render, reviewExitCode, runReview } from "../review-command";
import { UsageError } from "../../errors";

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
  --all               text: list unchanged objects too
  --verbose           log each request and answer to stderr

${CONNECTION_HELP}
The stack's own provisioner flags (--url, --api-key-env, ...) choose each tenant; the flags above
are used where the stack leaves them to the environment.

Exit codes (like terraform plan -detailed-exitcode):
  0  Immuta would change nothing
  1  error (including usage errors and objects that could not be checked)
  2  Immuta would change something
`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  "stack-dir": { type: "string" },
  "plan-json": { type: "string" },
  format: { type: "string" },
  all: { type: "boolean" },
  verbose: { type: "boolean" },
} as const;

export const command: Command = {
  help,
  run: (args, io) =>
    runReview(io, async (out, secrets) => {
      const { values } = parse("plan", args, OPTIONS);
      if (!values["stack-dir"]) throw new UsageError("--stack-dir is required");
      const format = readFormat(values.format);
      const stackDir = resolve(out.cwd, values["stack-dir"]);
      const config = readStackConfiguration(stackDir);
      const plan = values["plan-json"]
        ? readPlan(resolve(out.cwd, values["plan-json"]))
        : undefined;
      const tenants = new Tenants(values, out, secrets, values.verbose === true);
      try {
        const report = await review(config, plan, stackDir, tenants, out, secrets);
        out.stdout.write(render(report, format, out, values.all === true));
        return reviewExitCode(report);
      } finally {
        await tenants.close();
      }
    }),
};

async function review(
  config: StackConfiguration,
  plan: Map<string, PlannedChange> | undefined,
  stackDir: string,
  tenants: Tenants,
  io: Io,
  secrets: Secrets,
): Promise<Report> {
  const notes: string[] = [];
  const applies = config.objects.flatMap((object) => {
    const change = plan?.get(object.address);
    if (plan && (!change || change.action === "no-op" || change.action === "delete")) return [];
    const after = change ? payloadOf(change.after, change.afterUnknown) : undefined;
    const before = change ? payloadOf(change.before) : undefined;
    const desired = after ?? object.desired;
    return [
      {
        kind: object.kind,
        key: object.key,
        payload: desired.payload,
        unknown: desired.unknown,
        terraform: change ? describeAction(change) : undefined,
        access: accessChange(object.kind, before?.payload, desired.payload),
        client: tenants.client(object.flags),
      },
    ];
  });
  // Projects last: a dry run cannot see what the others would create, so a project naming a
  // purpose or data source this plan creates is refused now, yet fine once the deploy ran.
  const others = applies.filter((a) => a.kind !== "project");
  const projects = applies.filter((a) => a.kind === "project");
  const reviews: ObjectReview[] = await inParallel(others, 8, (target) =>
    reviewApply(target, io.env, secrets),
  );
  const created = createdByPlan(reviews, others);
  for (const review of await inParallel(projects, 8, (t) => reviewApply(t, io.env, secrets))) {
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
  for (const prune of config.prunes) {
    const deletions = await deletionsOf(prune, plan, stackDir, io, notes);
    const client = tenants.client(prune.flags);
    reviews.push(
      ...(await inParallel(deletions, 8, (entry) =>
        reviewDelete(
          entry.kind,
          entry.key,
          client,
          entry.kind === "purpose" && named.has(entry.key),
          "removed from the stack (deleted by the prune step)",
        ),
      )),
    );
  }
  if (!plan) notes.push("no --plan-json: every object of the stack was checked");
  return { title: "Immuta plan", stack: basename(stackDir), objects: reviews, notes };
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

/** What the tenant's prune would delete: from the plan, else from the state's recorded list. */
async function deletionsOf(
  prune: StackConfiguration["prunes"][number],
  plan: Map<string, PlannedChange> | undefined,
  stackDir: string,
  io: Io,
  notes: string[],
) {
  let previous: string[] | undefined;
  let next: string[] | undefined;
  if (plan) {
    const change = plan.get(prune.address);
    if (!change || change.action === "no-op") return [];
    previous = manifestOf(change.before);
    // A destroy plan: every object the tenant managed goes.
    next = change.action === "delete" ? [] : (manifestOf(change.after) ?? []);
  } else {
    try {
      previous = await readPreviousManifest(prune.output, stackDir, io.env);
    } catch (error) {
      notes.push(`deletions not checked: ${(error as Error).message}`);
      return [];
    }
    next = [...prune.manifest];
  }
  const keep = new Set(next);
  return (previous ?? []).filter((entry) => !keep.has(entry)).map(parseEntry);
}
