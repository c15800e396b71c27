/**
 * `immuta-v2 guard`: the first step of a tenant's deploy whenever it declares keys it did not
 * before. A key this stack has never managed (no instance in its state, nor in a 0.1.0 layout)
 * that Immuta already holds belongs to another stack or to a person: POSTing it would silently
 * overwrite theirs. So the deploy stops here, before anything is written, unless the code says
 * to adopt it.
 */
import { ApiError, ImmutaError, UsageError } from "../../errors";
import { legacyEntries, tenantEntries } from "../../layout/state";
import { parseEntryName } from "../../layout/names";
import { parse } from "../args";
import type { Command } from "../command";
import { CONNECTION_HELP, CONNECTION_OPTIONS, createClient, readConnection } from "../connection";
import { EXIT } from "../io";
import { subject } from "../outcome";
import { runSafely } from "../redaction";
import { LABEL_OPTION, readJsonInput } from "../step-input";
import type { ImmutaClient } from "../../client/client";
import type { Kind } from "../../payload/kinds";
import { wouldChange } from "../../review/would-change";
import type { Io } from "../io";
import { truncatedState } from "../local-state";
import type { Secrets } from "../redaction";
import { sendable } from "../sendable";
import { declaredObjects } from "../stack-config-file";
import { pullState } from "../terraform";
import { inParallel } from "../parallel";

const help = `Usage: immuta-v2 guard --tenant PREFIX --input-env NAME [options]

Run by a tenant's guard resource before its objects are applied. For each key the stack declares
and has never managed (its state holds no instance of it), asks Immuta whether it already holds
that key (DELETE ...?dryRun=true: 200 it exists, 404 it does not). If it does, and not exactly
as the stack declares it (a dry run of the declared payload would change it), the deploy stops
before anything is written, naming each such key and the ways on. An object Immuta holds exactly
as declared is taken on: there is nothing of anyone's to overwrite, and it is how a stack finds
its own objects after a killed deploy lost its record of them. A local state file that a killed
deploy left empty (its backup is not) stops the deploy too: immuta-v2 drift --fix restores it.

Options:
  --tenant PREFIX     the tenant's resource name prefix in the stack (its provider's id)
  --input-env NAME    JSON in NAME (or NAME_0, NAME_1, ...): { keys, settings: { adopt, adopt_all,
                      legacy_tenant } }, as the guard resource passes it
  --verbose           log each request and answer to stderr

The state is read with "terraform state pull" in the current directory (TERRAFORM_BINARY_NAME
names another binary, e.g. tofu).

${CONNECTION_HELP}
Exit codes:
  0  no declared key is held by Immuta outside this stack (or each such key is adopted)
  1  Immuta holds a key this stack never managed, or the check could not be made
  2  usage error
`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  ...LABEL_OPTION,
  tenant: { type: "string" },
  "input-env": { type: "string" },
  verbose: { type: "boolean" },
} as const;

interface GuardInput {
  readonly keys: readonly string[];
  readonly settings: {
    readonly adopt: readonly string[];
    readonly adopt_all: boolean;
    readonly legacy_tenant: string;
  };
}

export class OwnershipError extends ImmutaError {
  get code() {
    return "OWNERSHIP" as const;
  }
}

export const command: Command = {
  help,
  run: (args, io) =>
    runSafely(io, async (out, secrets) => {
      const { values } = parse("guard", args, OPTIONS);
      const prefix = values.tenant;
      if (!prefix) throw new UsageError("--tenant is required");
      const input = readJsonInput(values["input-env"], out.env) as GuardInput;
      const connection = readConnection(values, out.env);
      secrets.add(connection.apiKey);

      const state = await pullState(out.cwd, out.env);
      if (await truncatedState(out.cwd)) {
        throw new OwnershipError(
          `the stack's state file is empty but its backup is not: Terraform was killed while ` +
            `writing it, and would now take this stack for a new one. Restore it with ` +
            `immuta-v2 drift --fix --stack-dir <this stack's directory> (it puts the backup back), ` +
            `then deploy again`,
        );
      }
      const known = new Set([
        ...tenantEntries(state, prefix),
        ...legacyEntries(state, input.settings.legacy_tenant),
      ]);
      const adopted = new Set(input.settings.adopt);
      const fresh = input.keys.filter((entry) => !known.has(entry));
      const checked = input.settings.adopt_all ? [] : fresh.filter((e) => !adopted.has(e));
      if (checked.length === 0) {
        out.stdout.write(
          `guard: ${describeNew(fresh.length)}${fresh.length > 0 ? ", adopted where Immuta holds them" : ""}\n`,
        );
        return EXIT.ok;
      }
      const client = createClient(connection, out, values.verbose === true);
      let held: string[];
      try {
        const found = await inParallel(checked, 8, async (entry) => {
          const { kind, key } = parseEntryName(entry) ?? {};
          if (!kind || key === undefined) throw new UsageError(`not a kind/key entry: ${entry}`);
          try {
            await client.delete(kind, key, { dryRun: true });
          } catch (error) {
            if (error instanceof ApiError && error.status === 404) return undefined;
            // Refused because something else uses it (a purpose a project names): it is there.
            if (!(error instanceof ApiError && error.status === 409)) throw error;
          }
          if (await holdsAsDeclared(kind, key, prefix, client, out, secrets)) {
            out.stdout.write(
              `guard: ${subject(kind, key)}: Immuta holds it exactly as this stack declares it ` +
                `(an earlier deploy of this stack whose record was lost, most likely); taken on\n`,
            );
            return undefined;
          }
          return subject(kind, key);
        });
        held = found.filter((s): s is string => s !== undefined);
      } finally {
        await client.close();
      }
      if (held.length > 0) throw new OwnershipError(ownershipMessage(held));
      out.stdout.write(`guard: ${describeNew(fresh.length)}, none held by Immuta otherwise\n`);
      return EXIT.ok;
    }),
};

/**
 * Whether Immuta's object is exactly what this stack declares (a dry run of the declared payload
 * changes nothing): then there is nothing of anyone's to overwrite. This is how a stack whose
 * state a killed deploy lost (or a remote backend had not persisted yet) finds its own objects.
 */
async function holdsAsDeclared(
  kind: Kind,
  key: string,
  prefix: string,
  client: ImmutaClient,
  io: Io,
  secrets: Secrets,
): Promise<boolean> {
  const declared = declaredObjects(io.cwd, prefix, kind)?.find((d) => d.key === key);
  if (declared?.payload === undefined) return false; // values known only at apply time
  const { payload } = sendable(declared.payload, io.env, secrets);
  const answer = await client.apply(kind, payload, { dryRun: true });
  return !wouldChange(kind, answer);
}

function describeNew(count: number): string {
  return count === 0
    ? "no object new to this stack"
    : `${count} object${count === 1 ? "" : "s"} new to this stack`;
}

function ownershipMessage(held: readonly string[]): string {
  const one = held.length === 1;
  return (
    `Immuta already holds ${one ? "an object" : `${held.length} objects`} this stack has never ` +
    `managed; nothing was written:\n${held.map((s) => `  ${s}\n`).join("")}` +
    `${one ? "It belongs" : "They belong"} to another stack or to a person. To go on, either:\n` +
    `  - take ${one ? "it" : "them"} over: set adopt: true on ${one ? "its construct" : "their constructs"} ` +
    `(or adoptExisting: true on the ImmutaProvider) and deploy again; or\n` +
    `  - leave ${one ? "it" : "them"} where ${one ? "it is" : "they are"}: remove ${one ? "it" : "them"} ` +
    `from this stack, or bring ${one ? "it" : "them"} into code first with ` +
    `immuta-v2 import --from <tenant url> --out <dir> --key <key>`
  );
}
