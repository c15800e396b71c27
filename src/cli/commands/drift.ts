/**
 * `immuta-v2 drift`: whether Immuta was changed behind Terraform's back. For every object the
 * stack's state says is in sync, its desired payload (as applied) is POSTed with `dryRun=true`;
 * an object Immuta would change was changed outside Terraform. `--fix` re-applies those.
 */
import { execFile } from "node:child_process";
import { basename, resolve } from "node:path";
import { ImmutaError, UsageError } from "../../errors";
import { resolveSecrets } from "../../payload/secrets";
import type { AnyPayload } from "../../payload/types";
import type { Report } from "../../review/report";
import { inParallel, reviewApply } from "../../review/review";
import { readStackConfiguration } from "../../review/stack-config";
import { parseState, payloadOf, type StateResource } from "../../review/terraform-json";
import { Tenants } from "../../review/tenants";
import { parse } from "../args";
import type { Command } from "../command";
import { CONNECTION_HELP, CONNECTION_OPTIONS } from "../connection";
import { applyOutcome } from "../outcome";
import { readFormat, render, reviewExitCode, runReview } from "../review-command";

const help = `Usage: immuta-v2 drift --stack-dir DIR [--fix] [--format text|markdown|json]

Checks whether Immuta still holds what the stack last deployed. The state is read with
"terraform show -json" in the stack directory (whatever backend the stack uses; TERRAFORM_BINARY_NAME
names another binary); every object it records as applied is POSTed with dryRun=true, and those
Immuta would change are reported: they were changed outside Terraform.

Options:
  --stack-dir DIR     the synthesized and deployed stack: cdktf.out/stacks/NAME (required)
  --fix               re-apply the desired state of the drifted objects, and say what was done
  --format FORMAT     text (default), markdown or json
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
  all: { type: "boolean" },
  verbose: { type: "boolean" },
} as const;

class TerraformShowError extends ImmutaError {
  readonly code = "TERRAFORM_SHOW";
}

function readState(stackDir: string, env: NodeJS.ProcessEnv): Promise<Map<string, StateResource>> {
  const binary = env.TERRAFORM_BINARY_NAME || "terraform";
  return new Promise((resolvePromise, reject) => {
    execFile(
      binary,
      ["show", "-json", "-no-color"],
      { cwd: stackDir, env, maxBuffer: 1024 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          return reject(
            new TerraformShowError(
              `cannot read the stack's state (${binary} show -json in ${stackDir}: ${(stderr || String(error)).trim()})`,
            ),
          );
        }
        resolvePromise(parseState(stdout));
      },
    );
  });
}

export const command: Command = {
  help,
  run: (args, io) =>
    runReview(io, async (out, secrets) => {
      const { values } = parse("drift", args, OPTIONS);
      if (!values["stack-dir"]) throw new UsageError("--stack-dir is required");
      const format = readFormat(values.format);
      const stackDir = resolve(out.cwd, values["stack-dir"]);
      const config = readStackConfiguration(stackDir);
      const state = await readState(stackDir, out.env);
      const tenants = new Tenants(values, out, secrets, values.verbose === true);
      try {
        const notes: string[] = [];
        const targets = config.objects.flatMap((object) => {
          const resource = state.get(object.address);
          if (!resource) {
            notes.push(`${object.kind} "${object.key}" is not deployed yet`);
            return [];
          }
          if (resource.tainted) {
            notes.push(
              `${object.kind} "${object.key}" failed at its last deploy; the next one re-applies it`,
            );
            return [];
          }
          const applied = payloadOf(resource.values);
          if (!applied) return [];
          return [{ ...object, ...applied, client: tenants.client(object.flags) }];
        });
        const reviews = await inParallel(targets, 8, (target) =>
          reviewApply(target, out.env, secrets),
        );
        const report: Report = {
          title: "Immuta drift",
          stack: basename(stackDir),
          objects: reviews,
          notes,
        };
        out.stdout.write(render(report, format, out, values.all === true));
        const code = reviewExitCode(report);
        if (!values.fix || code !== 2) return code;

        // Re-apply what drifted: the same payloads, for real this time.
        const drifted = targets.filter((_, i) => reviews[i].outcome.type === "change");
        for (const target of drifted) {
          const { payload } = resolveSecrets(target.payload, out.env);
          const response = await target.client.apply(target.kind, payload as AnyPayload, {});
          out.stdout.write(`fixed: ${applyOutcome(target.kind, target.key, response, false)}\n`);
        }
        return 0;
      } finally {
        await tenants.close();
      }
    }),
};
