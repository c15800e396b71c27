/**
 * `immuta-v2 prune`: the last step of a deploy (a stack's prune resource runs it). It DELETEs
 * what the previous deploy managed and this one does not: a construct removed from the code, an
 * object whose key changed. Projects go first, then policies, then data sources and purposes, so
 * that nothing is deleted while a project still names it.
 */
import { ApiError, UsageError } from "../../errors";
import { isKind, type Kind } from "../../payload/kinds";
import { parse } from "../args";
import type { Command } from "../command";
import { CONNECTION_HELP, CONNECTION_OPTIONS, createClient, readConnection } from "../connection";
import { EXIT, colors } from "../io";
import { subject } from "../outcome";
import { readChunkedEnv } from "../payload-input";
import { readPreviousManifest } from "../previous-manifest";
import { runSafely } from "../redaction";

const help = `Usage: immuta-v2 prune --manifest-env NAME --output OUTPUT [options]

Deletes the objects a stack managed at its previous deploy and manages no longer. The current
list comes from the environment variable NAME (or NAME_0, NAME_1, ... for a long one): a JSON
list of "kind/key" strings. The previous list is the stack output OUTPUT, read with
"terraform output -json OUTPUT" in the current directory (TERRAFORM_BINARY_NAME names another
binary, e.g. tofu). Without that output (a first deploy) nothing is deleted.

Deletion order: projects, policies, then data sources and purposes. A 404 counts as deleted.

Options:
  --manifest-env NAME    the environment variable holding the current list (required)
  --output OUTPUT        the stack output holding the previous list (required)
  --dry-run              say what would be deleted, delete nothing
  --json                 print { previous, current, deleted } as JSON
  --verbose              log each request and answer to stderr

${CONNECTION_HELP}
Exit codes:
  0  done (deleted what was to delete, or nothing to delete)
  1  a deletion failed (e.g. 409: still in use by an object this stack does not manage), or the
     previous list could not be read
  2  usage error
`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  "manifest-env": { type: "string" },
  output: { type: "string" },
  "dry-run": { type: "boolean" },
  json: { type: "boolean" },
  verbose: { type: "boolean" },
} as const;

/** Dependents first: a project names purposes and data sources; a policy applies to data sources. */
const DELETE_ORDER: readonly Kind[] = ["project", "policy", "data", "purpose"];

export interface Entry {
  readonly kind: Kind;
  readonly key: string;
}

export function parseEntry(entry: string): Entry {
  const slash = entry.indexOf("/");
  const kind = entry.slice(0, slash);
  if (slash < 0 || !isKind(kind)) {
    throw new UsageError(`manifest entry ${JSON.stringify(entry)} is not "kind/key"`);
  }
  return { kind, key: entry.slice(slash + 1) };
}

/** What was managed before and is not now, in deletion order. */
export function toDelete(previous: readonly string[], current: readonly string[]): Entry[] {
  const now = new Set(current);
  return previous
    .filter((entry) => !now.has(entry))
    .map(parseEntry)
    .sort(
      (a, b) =>
        DELETE_ORDER.indexOf(a.kind) - DELETE_ORDER.indexOf(b.kind) ||
        (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
}

function readCurrent(name: string | undefined, env: NodeJS.ProcessEnv): string[] {
  if (name === undefined) throw new UsageError("--manifest-env is required");
  const text = readChunkedEnv(name, env);
  if (text === undefined) {
    throw new UsageError(`--manifest-env ${name}: neither ${name} nor ${name}_0 is set`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--manifest-env ${name}: not JSON`);
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new UsageError(`--manifest-env ${name}: not a JSON list of "kind/key" strings`);
  }
  value.forEach(parseEntry);
  return value;
}

export const command: Command = {
  help,
  run: (args, io) =>
    runSafely(io, async (out, secrets) => {
      const { values } = parse("prune", args, OPTIONS);
      const current = readCurrent(values["manifest-env"], out.env);
      if (values.output === undefined) throw new UsageError("--output is required");
      const connection = readConnection(values, out.env);
      secrets.add(connection.apiKey);
      const previous = await readPreviousManifest(values.output, out.cwd, out.env);
      const doomed = toDelete(previous ?? [], current);
      const dryRun = values["dry-run"] === true;
      const c = colors(out.stdout, out.env);
      const deleted: Entry[] = [];
      if (doomed.length > 0) {
        const client = createClient(connection, out, values.verbose === true);
        try {
          for (const entry of doomed) {
            try {
              await client.delete(entry.kind, entry.key, { dryRun });
            } catch (error) {
              if (!(error instanceof ApiError) || error.status !== 404) throw error;
            }
            deleted.push(entry);
            if (!values.json) {
              out.stdout.write(
                `${dryRun ? "dry run: " : ""}${subject(entry.kind, entry.key)}: ` +
                  `${dryRun ? "would be deleted" : c.yellow("deleted")} (no longer in the stack)\n`,
              );
            }
          }
        } finally {
          await client.close();
        }
      }
      if (values.json) {
        out.stdout.write(
          `${JSON.stringify({ dryRun, previous: previous ?? null, current, deleted }, null, 2)}\n`,
        );
      } else if (doomed.length === 0) {
        out.stdout.write(
          previous === undefined
            ? `prune: first deploy of this stack: nothing to delete (${current.length} objects managed)\n`
            : `prune: nothing to delete (${current.length} objects managed)\n`,
        );
      }
      return EXIT.ok;
    }),
};
