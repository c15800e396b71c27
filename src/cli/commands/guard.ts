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
import { pullState } from "../terraform";
import { inParallel } from "../parallel";

const help = `Usage: immuta-v2 guard --tenant PREFIX --input-env NAME [options]

Run by a tenant's guard resource before its objects are applied. For each key the stack declares
and has never managed (its state holds no instance of it), asks Immuta whether it already holds
that key (DELETE ...?dryRun=true: 200 it exists, 404 it does not). If it does, the deploy stops
before anything is written, naming each such key and the ways on.

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
  readonly code = "OWNERSHIP";
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
            return subject(kind, key);
          } catch (error) {
            if (error instanceof ApiError && error.status === 404) return undefined;
            throw error;
          }
        });
        held = found.filter((s): s is string => s !== undefined);
      } finally {
        await client.close();
      }
      if (held.length > 0) throw new OwnershipError(ownershipMessage(held));
      out.stdout.write(`guard: ${describeNew(fresh.length)}, none held by Immuta yet\n`);
      return EXIT.ok;
    }),
};

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
