/**
 * `immuta-v2 delete`: DELETEs one object, the step an instance's destroy-time provisioner runs.
 * An object already absent counts as deleted: a destroy that failed or was killed half-way must
 * be able to run again.
 */
import { ApiError, UsageError } from "../../errors";
import { parse } from "../args";
import type { Command } from "../command";
import { CONNECTION_HELP, CONNECTION_OPTIONS, createClient, readConnection } from "../connection";
import { EXIT, colors } from "../io";
import { subject } from "../outcome";
import { requireKind } from "../kind-flag";
import { runSafely } from "../redaction";
import { LABEL_OPTION } from "../step-input";
import { renamedTo } from "../connection-rename";
import { readPayload } from "../payload-input";

const help = `Usage: immuta-v2 delete --kind KIND --key KEY [options]

DELETEs one object by its key. An object the server does not have (404) counts as already
deleted: the command says so and exits 0.

Options:
  --kind data|policy|project|purpose   the object's kind (required)
  --key KEY              its key: connectionKey, policyKey, projectKey, or a purpose's name
                         (required; any characters, sent URL-encoded)
  --dry-run              ask whether it would be deleted, delete nothing
  --json                 print the server's answer as JSON instead of the summary line
  --verbose              log each request and answer to stderr
  --label TEXT           ignored: what Terraform shows as the command (destroy steps set it)

Set by a stack's destroy steps of data source connections:
  --tenant PREFIX        the tenant's resource name prefix in the stack
  --payload-env NAME     the connection's payload (NAME, or NAME_0, NAME_1, ...): when the stack
                         now declares the same connection under another key (a renamed
                         connectionKey), this key is left to that key's apply step, which
                         deletes it before creating itself

${CONNECTION_HELP}
Exit codes:
  0  deleted, or already absent (or, with --dry-run, checked)
  1  the operation failed: the server refused (e.g. 409, the object is still in use) or failed,
     or it could not be reached
  2  usage error: a flag, the URL or the API key is missing or wrong
`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  ...LABEL_OPTION,
  kind: { type: "string" },
  key: { type: "string" },
  tenant: { type: "string" },
  "payload-env": { type: "string" },
  "dry-run": { type: "boolean" },
  json: { type: "boolean" },
  verbose: { type: "boolean" },
} as const;

export const command: Command = {
  help,
  run: (args, io) =>
    runSafely(io, async (out, secrets) => {
      const { values } = parse("delete", args, OPTIONS);
      const kind = requireKind(values.kind);
      const key = values.key;
      if (key === undefined || key === "") throw new UsageError("--key is required");
      if (kind === "data" && values.tenant && values["payload-env"]) {
        const successor = renamedTo(
          out.cwd,
          values.tenant,
          key,
          readPayload({ "payload-env": values["payload-env"] }, out.env, out.cwd).payload,
        );
        if (successor !== undefined) {
          out.stdout.write(
            `${subject(kind, key)}: left to "${successor}", the same connection under its new ` +
              `key, whose step deletes it first (Immuta allows one key per connection)\n`,
          );
          return EXIT.ok;
        }
      }
      const connection = readConnection(values, out.env);
      secrets.add(connection.apiKey);
      const dryRun = values["dry-run"] === true;
      const client = createClient(connection, out, values.verbose === true);
      const c = colors(out.stdout, out.env);
      const prefix = dryRun ? "dry run: " : "";
      try {
        const response = await client.delete(kind, key, { dryRun });
        out.stdout.write(
          values.json
            ? `${JSON.stringify(response, null, 2)}\n`
            : `${prefix}${subject(kind, key)}: ${dryRun ? "would be deleted" : "deleted"}\n`,
        );
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 404) throw error;
        out.stdout.write(
          values.json
            ? `${JSON.stringify({ dryRun, deleted: null, notFound: key }, null, 2)}\n`
            : c.dim(
                `${prefix}${subject(kind, key)}: already deleted (the server answered 404: ` +
                  `${error.serverMessage || "not found"})`,
              ) + "\n",
        );
      } finally {
        await client.close();
      }
      return EXIT.ok;
    }),
};
