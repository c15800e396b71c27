/**
 * `immuta-v2 confirm`: the last step of a tenant's deploy whenever an object was (re)created.
 * Terraform saves an instance as created before its step has POSTed it; a deploy killed (SIGKILL:
 * a lost runner, an OOM kill) during that POST leaves an instance in state that Immuta never got,
 * and the next plan sees nothing to do. So this step looks at every object this deploy did not
 * create itself (its plan timestamp is an earlier one) whose payload the last confirmation did not
 * cover, asks Immuta with a dry run whether it holds it, and applies it when it does not. The
 * stack output records what it confirmed (each object's payload digest), once it succeeded.
 */
import type { ImmutaClient } from "../../client/client";
import { ApiError, UsageError } from "../../errors";
import { parseEntryName } from "../../layout/names";
import { strandedKeys, tenantObjects, type State } from "../../layout/state";
import { countOf, type Kind } from "../../payload/kinds";
import { wouldChange } from "../../review/would-change";
import { queryFromArgs } from "../apply-query";
import { parse } from "../args";
import type { Command } from "../command";
import { CONNECTION_HELP, CONNECTION_OPTIONS, createClient, readConnection } from "../connection";
import { EXIT, type Io } from "../io";
import { applyOutcome, subject } from "../outcome";
import { requireKind } from "../kind-flag";
import { runSafely, type Secrets } from "../redaction";
import { sendable } from "../sendable";
import { declaredObjects } from "../stack-config-file";
import { LABEL_OPTION, readJsonInput } from "../step-input";
import { TerraformReadError, readState } from "../terraform";
import { renamedTo } from "../connection-rename";

const help = `Usage: immuta-v2 confirm --tenant PREFIX --kind KIND --output NAME --input-env NAME [options]

Run by a tenant's confirm resource for one kind, after that kind's objects were applied and
before the objects that name them are. Objects this deploy created
were POSTed by their own step. Every other object whose payload the stack's last confirmation
(the output NAME) does not cover was created by an earlier deploy that may have been killed
before its POST was made: each is POSTed with dryRun=true, and applied when Immuta would change
it. Then Terraform records the confirmation in the output.

Options:
  --tenant PREFIX     the tenant's resource name prefix in the stack (its provider's id)
  --kind KIND         the kind whose objects to confirm
  --output NAME       the stack output holding the last confirmation
  --input-env NAME    JSON in NAME (or NAME_0, NAME_1, ...): { record: { tenant, digests },
                      planned_at, markers }, as the confirm resource passes it
  --destroying        the stack is being destroyed: delete the stranded objects only
  --verbose           log each request and answer to stderr

First, it deletes the objects of its kind that left the code and whose instances Terraform
would drop without their DELETE step: tainted ones (a step failed) and deposed ones (a
replacement whose new instance failed). With --destroying (its destroy-time step, when the stack
is destroyed) it does only that, for every such object.

The state is read from the local backend's file, or else with "terraform state pull" in the
current directory (TERRAFORM_BINARY_NAME names another binary, e.g. tofu).

${CONNECTION_HELP}
Exit codes:
  0  every object is confirmed (some perhaps applied again)
  1  an object could not be checked or applied
  2  usage error
`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  ...LABEL_OPTION,
  tenant: { type: "string" },
  kind: { type: "string" },
  output: { type: "string" },
  "input-env": { type: "string" },
  destroying: { type: "boolean" },
  verbose: { type: "boolean" },
} as const;

/** What the confirm resource records: the tenant, and each object's payload digest. */
export interface ConfirmRecord {
  readonly tenant: string;
  readonly digests: Readonly<Record<string, string>>;
}

interface ConfirmInput {
  readonly record: ConfirmRecord;
  readonly planned_at: string;
  readonly markers: Readonly<Record<string, string | null>>;
}

/**
 * Whether the previous confirmation covers an object's digest. 0.1.0 recorded a list of the
 * `kind/key` it managed, written once every apply had succeeded: an object it lists is trusted.
 */
function covered(previous: unknown, record: ConfirmRecord, entry: string): boolean {
  if (Array.isArray(previous)) return previous.includes(entry);
  const last = previous as Partial<ConfirmRecord> | null | undefined;
  return last?.tenant === record.tenant && last.digests?.[entry] === record.digests[entry];
}

export const command: Command = {
  help,
  run: (args, io) =>
    runSafely(io, async (out, secrets) => {
      const { values } = parse("confirm", args, OPTIONS);
      const prefix = values.tenant;
      if (!prefix) throw new UsageError("--tenant is required");
      if (!values.output) throw new UsageError("--output is required");
      const kind = requireKind(values.kind);
      const state = await readState(out.cwd, out.env);
      const connect = () => {
        const connection = readConnection(values, out.env);
        secrets.add(connection.apiKey);
        return createClient(connection, out, values.verbose === true);
      };
      if (values.destroying) {
        // Also a connection whose own DELETE step leaves it to the key the code renamed it to:
        // a destroy never applies that key.
        const deferred =
          kind === "data"
            ? tenantObjects(state, prefix)
                .filter((o) => o.kind === "data")
                .filter((o) => renamedTo(out.cwd, prefix, o.key, o.payload) !== undefined)
                .map((o) => o.key)
            : [];
        const keys = [...new Set([...strandedKeys(state, prefix, kind), ...deferred])].sort();
        await deleteStranded(keys, kind, connect, out);
        return EXIT.ok;
      }
      const input = readJsonInput(values["input-env"], out.env) as ConfirmInput;
      const entries = Object.keys(input.record.digests).sort();
      const declared = new Set(entries.map((e) => parseEntryName(e)?.key ?? e));
      const stranded = strandedKeys(state, prefix, kind).filter((key) => !declared.has(key));
      await deleteStranded(stranded, kind, connect, out);
      const earlier = entries.filter((e) => input.markers[e] !== input.planned_at);
      const summary = `confirm: ${countOf(kind, entries.length)}`;
      if (earlier.length === 0) {
        out.stdout.write(`${summary}, each applied by this deploy\n`);
        return EXIT.ok;
      }
      const previous = state.outputs[values.output];
      const suspect = earlier.filter((e) => !covered(previous, input.record, e));
      if (suspect.length === 0) {
        out.stdout.write(`${summary}, all confirmed\n`);
        return EXIT.ok;
      }

      const client = connect();
      const step: Step = { kind, prefix, state, client, io: out, secrets };
      try {
        await resend(step, suspect);
      } finally {
        await client.close();
      }
      out.stdout.write(`${summary}, ${suspect.length} checked after an interrupted deploy\n`);
      return EXIT.ok;
    }),
};

/**
 * Deletes the objects whose instances Terraform drops without a DELETE (see `strandedKeys`): keys
 * the code no longer declares (all of them when the stack is destroyed, with the connections
 * whose own step defers to a renamed key). One that Immuta refuses to delete because another
 * object still names it (409) is left, and said.
 */
async function deleteStranded(
  keys: readonly string[],
  kind: Kind,
  connect: () => ImmutaClient,
  io: Io,
): Promise<void> {
  if (keys.length === 0) return;
  const client = connect();
  try {
    for (const key of keys) {
      try {
        await client.delete(kind, key);
        io.stdout.write(`confirm: ${subject(kind, key)}: deleted\n`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          io.stdout.write(`confirm: ${subject(kind, key)}: already absent\n`);
        } else if (error instanceof ApiError && error.status === 409) {
          io.stderr.write(
            `immuta-v2: warning: ${subject(kind, key)} left the code but Immuta keeps it: ` +
              `${error.serverMessage}; delete it once nothing names it ` +
              `(immuta-v2 delete --kind ${kind} --key ${key})\n`,
          );
        } else throw error;
      }
    }
  } finally {
    await client.close();
  }
}

interface Step {
  readonly kind: Kind;
  readonly prefix: string;
  readonly state: State;
  readonly client: ImmutaClient;
  readonly io: Io;
  readonly secrets: Secrets;
}

/** Objects an interrupted deploy may never have sent: a dry run each, and a POST where needed. */
async function resend(step: Step, suspect: readonly string[]): Promise<void> {
  const { kind, prefix, state, client, io } = step;
  const applied = tenantObjects(state, prefix);
  const declared = declaredObjects(io.cwd, prefix, kind);
  for (const entry of suspect) {
    const key = parseEntryName(entry)?.key ?? entry;
    const object = applied.find((o) => o.kind === kind && o.key === key);
    if (object?.payload === undefined) {
      throw new TerraformReadError(
        `${subject(kind, key)}: not in the stack's state, so it cannot be confirmed; deploy again`,
      );
    }
    const { payload, options } = sendable(object.payload, io.env, step.secrets);
    const dry = await client.apply(kind, payload, { dryRun: true });
    if (!wouldChange(kind, dry)) {
      io.stdout.write(`confirm: ${subject(kind, key)}: Immuta holds it, no change\n`);
      continue;
    }
    const flags = declared?.find((d) => d.key === key)?.flags ?? [];
    const query = { ...queryFromArgs(kind, flags), dryRun: false };
    const response = await client.apply(kind, payload, query, options);
    io.stdout.write(
      `confirm: ${applyOutcome(kind, key, response, false)} (its deploy was interrupted before ` +
        `Immuta had it)\n`,
    );
  }
}
