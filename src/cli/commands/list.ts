/** `immuta-v2 list`: the keys of every object of a kind (embedded server only). */
import { parse } from "../args";
import type { Command } from "../command";
import { CONNECTION_HELP, CONNECTION_OPTIONS, createClient, readConnection } from "../connection";
import { EXIT } from "../io";
import { requireKind } from "../kind-flag";
import { runSafely } from "../redaction";

const help = `Usage: immuta-v2 list --kind KIND [options]

Prints the keys of every object of a kind the server holds, one per line. Listing is served by
the embedded server; Immuta's V2 API has no such endpoint, and the command says so.

Options:
  --kind data|policy|project|purpose   the kind (required)
  --json                 print a JSON array instead
  --verbose              log each request and answer to stderr

${CONNECTION_HELP}
Exit codes:
  0  printed
  1  the operation failed: no list endpoint on this server, a server error, or the server
     could not be reached
  2  usage error: a flag, the URL or the API key is missing or wrong
`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  kind: { type: "string" },
  json: { type: "boolean" },
  verbose: { type: "boolean" },
} as const;

export const command: Command = {
  help,
  run: (args, io) =>
    runSafely(io, async (out, secrets) => {
      const { values } = parse("list", args, OPTIONS);
      const kind = requireKind(values.kind);
      const connection = readConnection(values, out.env);
      secrets.add(connection.apiKey);
      const client = createClient(connection, out, values.verbose === true);
      try {
        const keys = await client.list(kind);
        out.stdout.write(
          values.json ? `${JSON.stringify(keys, null, 2)}\n` : keys.map((k) => `${k}\n`).join(""),
        );
      } finally {
        await client.close();
      }
      return EXIT.ok;
    }),
};
