/** `immuta-v2 get`: one object as the server stores it, as JSON (embedded server only). */
import { UsageError } from "../../errors";
import { parse } from "../args";
import type { Command } from "../command";
import { CONNECTION_HELP, CONNECTION_OPTIONS, createClient, readConnection } from "../connection";
import { EXIT } from "../io";
import { redactPayload } from "../../payload/secrets";
import { requireKind } from "../kind-flag";
import { runSafely } from "../redaction";

const help = `Usage: immuta-v2 get --kind KIND --key KEY [options]

Prints one object as the server stores it, as JSON: the payload last applied plus the server's
fields (id, createdAt, updatedAt; for a connection, each data source with its status). Secrets
read as "[redacted]": the server redacts them, and this command redacts again every secret field
(passwords, tokens, private keys, ...) whatever the server sent. Reading back is served by the embedded server; Immuta's V2 API has no
such endpoint, and the command says so.

Options:
  --kind data|policy|project|purpose   the object's kind (required)
  --key KEY              its key (required)
  --json                 accepted for uniformity: the output is always JSON
  --verbose              log each request and answer to stderr

${CONNECTION_HELP}
Exit codes:
  0  printed
  1  the operation failed: no such object, no read endpoint on this server, a server error,
     or the server could not be reached
  2  usage error: a flag, the URL or the API key is missing or wrong
`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  kind: { type: "string" },
  key: { type: "string" },
  json: { type: "boolean" },
  verbose: { type: "boolean" },
} as const;

export const command: Command = {
  help,
  run: (args, io) =>
    runSafely(io, async (out, secrets) => {
      const { values } = parse("get", args, OPTIONS);
      const kind = requireKind(values.kind);
      if (values.key === undefined || values.key === "") throw new UsageError("--key is required");
      const connection = readConnection(values, out.env);
      secrets.add(connection.apiKey);
      const client = createClient(connection, out, values.verbose === true);
      try {
        // Whatever the server answers: a server that returned a secret must not make us print it.
        const stored = redactPayload(await client.get(kind, values.key));
        out.stdout.write(`${JSON.stringify(stored, null, 2)}\n`);
      } finally {
        await client.close();
      }
      return EXIT.ok;
    }),
};
