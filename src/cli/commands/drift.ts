/**
 * `immuta-v2 drift`: whether Immuta was changed behind Terraform's back. For every object the
 * stack's state says is applied, that payload is POSTed with `dryRun=true`; an object Immuta would
 * change was changed outside Terraform (or never got its POST: a deploy killed at that moment).
 * `--fix` re-applies those.
 */
import { basename, resolve } from "node:path";
import { NoEndpointError, UsageError } from "../../errors";
import { tenantObjects, type StateObject } from "../../layout/state";
import { fieldChanges, storedPayload } from "../../review/field-diff";
import type { Report } from "../../review/report";
import { reviewApply, type ObjectReview } from "../../review/review";
import { readStackConfiguration, type ConfiguredObject } from "../../review/stack-config";
import { KeyRefusedError } from "../../review/review";
import { Tenants } from "../../review/tenants";
import type { ImmutaClient } from "../../client/client";
import { queryFromArgs } from "../apply-query";
import { parse } from "../args";
import { subject } from "../outcome";
import type { Command } from "../command";
import { CONNECTION_HELP, CONNECTION_OPTIONS } from "../connection";
import { applyOutcome } from "../outcome";
import { inParallel } from "../parallel";
import { readFormat, render, reviewExitCode, runReview } from "../review-command";
import { sendable } from "../sendable";
import { declaredObjects } from "../stack-config-file";
import { restoreFromBackup, truncatedState } from "../local-state";
import { pullState } from "../terraform";

const help = `Usage: immuta-v2 drift --stack-dir DIR [--fix] [--format text|markdown|json]

Checks whether Immuta still holds what the stack last deployed. The state is read with
"terraform state pull" in the stack directory (whatever backend the stack uses;
TERRAFORM_BINARY_NAME names another binary); every object it records as applied is POSTed with
dryRun=true, and those Immuta would change are reported: they were changed outside Terraform,
or a deploy was killed before their POST was made. Where the server can read objects back (the
embedded server), the fields that differ are shown.

Options:
  --stack-dir DIR     the synthesized and deployed stack: cdktf.out/stacks/NAME (required)
  --fix               re-apply the desired state of the drifted objects, and say what was done;
                      first, put back a local state file a killed deploy left empty (from the
                      backup Terraform keeps beside it)
  --format FORMAT     text (default), markdown or json
  --json              the same as --format json
  --all               text: list objects without drift too
  --verbose           log each request and answer to stderr

${CONNECTION_HELP}
Exit codes:
  0  no drift (or, with --fix, every drifted object was re-applied)
  1  error
  2  drift found
`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  "stack-dir": { type: "string" },
  fix: { type: "boolean" },
  format: { type: "string" },
  json: { type: "boolean" },
  all: { type: "boolean" },
  verbose: { type: "boolean" },
} as const;

interface Drifted {
  readonly object: StateObject;
  readonly configured: ConfiguredObject;
  readonly client: ImmutaClient;
}

export const command: Command = {
  help,
  run: (args, io) =>
    runReview(io, async (out, secrets) => {
      const { values } = parse("drift", args, OPTIONS);
      if (!values["stack-dir"]) throw new UsageError("--stack-dir is required");
      const format = readFormat(values.format, values.json);
      const stackDir = resolve(out.cwd, values["stack-dir"]);
      const config = readStackConfiguration(stackDir);
      // A local state file a killed deploy left empty: the deploys would take the stack for a new
      // one, and nothing here could be checked.
      const truncated = await truncatedState(stackDir);
      if (truncated && !values.fix) {
        out.stdout.write(
          `${basename(stackDir)}: the state file ${truncated.state} is empty but its backup is ` +
            `not: Terraform was killed while writing it. drift --fix puts the backup back.\n`,
        );
        return 2;
      }
      if (truncated) {
        const damaged = restoreFromBackup(truncated);
        out.stdout.write(
          `fixed: the state file was empty (Terraform was killed while writing it): restored ` +
            `${truncated.backup}; the damaged file is kept as ${damaged}\n`,
        );
      }
      const state = await pullState(stackDir, out.env);
      const tenants = new Tenants(values, out, secrets, values.verbose === true);
      try {
        const notes: string[] = [];
        const checked: Drifted[] = [];
        for (const [prefix] of config.tenants) {
          const declared = config.objects.filter((o) => o.tenant === prefix);
          for (const object of tenantObjects(state, prefix)) {
            const configured = declared.find((o) => o.kind === object.kind && o.key === object.key);
            const named = subject(object.kind, object.key);
            if (!configured) {
              notes.push(`${named} is no longer in the code: the next deploy deletes it`);
            } else if (object.instance.tainted) {
              notes.push(`${named} failed at its last deploy; the next one applies it again`);
            } else if (object.payload !== undefined) {
              checked.push({ object, configured, client: tenants.client(configured.connection) });
            }
          }
          const deployed = new Set(tenantObjects(state, prefix).map((o) => `${o.kind}/${o.key}`));
          for (const o of declared) {
            if (!deployed.has(`${o.kind}/${o.key}`))
              notes.push(`${subject(o.kind, o.key)} is not deployed yet`);
          }
        }
        const reviews = await inParallel(checked, 8, (d) => reviewDrift(d, out.env, secrets));
        const report: Report = {
          title: "Immuta drift",
          stack: basename(stackDir),
          objects: reviews,
          notes,
        };
        out.stdout.write(render(report, format, out, values.all === true));
        const code = reviewExitCode(report);
        if (!values.fix || code !== 2) return code;

        // Re-apply what drifted: the same payloads, with the object's own flags, for real.
        for (const [i, d] of checked.entries()) {
          if (reviews[i].outcome.type !== "change") continue;
          const { kind, key, payload } = d.object;
          const resolved = sendable(payload, out.env, secrets);
          const flags = declaredObjects(stackDir, d.configured.tenant, kind)?.find(
            (o) => o.key === key,
          )?.flags;
          const query = { ...queryFromArgs(kind, flags ?? []), dryRun: false };
          const response = await d.client.apply(kind, resolved.payload, query, resolved.options);
          out.stdout.write(`fixed: ${applyOutcome(kind, key, response, false)}\n`);
        }
        return 0;
      } catch (error) {
        if (error instanceof KeyRefusedError) error.keyEnvs = tenants.keyEnvs();
        throw error;
      } finally {
        await tenants.close();
      }
    }),
};

/** The dry run of one applied object, and, where the server reads back, the fields that differ. */
async function reviewDrift(
  d: Drifted,
  env: NodeJS.ProcessEnv,
  secrets: { add(...values: string[]): void },
): Promise<ObjectReview> {
  const { kind, key, payload } = d.object;
  const review = await reviewApply(
    { kind, key, payload, unknown: [], client: d.client },
    env,
    secrets,
  );
  if (review.outcome.type !== "change") return review;
  try {
    const stored = storedPayload(await d.client.get(kind, key));
    return { ...review, fields: fieldChanges(stored, payload) };
  } catch (error) {
    // Immuta's V2 API has no read endpoint; only the embedded server answers.
    if (error instanceof NoEndpointError || (error as { status?: number }).status === 404) {
      return review;
    }
    throw error;
  }
}
