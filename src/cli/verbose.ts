/**
 * `--verbose`: each request and answer on stderr. Payloads are printed redacted; the Io given is
 * the scrubbed one, which removes any secret value that is left. Loaded only when asked for.
 */
import type { ClientOptions } from "../client/client";
import { redactPayload } from "../payload/secrets";
import type { Io } from "./io";

/** Answers longer than this are cut in --verbose logs (a connection can have thousands of tables). */
const MAX_LOGGED_BODY = 20_000;

export function verboseHooks(io: Io): Pick<ClientOptions, "onRequest" | "onResponse"> {
  const log = (line: string) => io.stderr.write(`${line}\n`);
  return {
    onRequest: (event) => {
      log(`> ${event.method} ${event.path}`);
      if (event.payload !== undefined) log(`> ${JSON.stringify(redactPayload(event.payload))}`);
    },
    onResponse: (event) => {
      log(`< ${event.status} ${event.statusText} (${event.elapsedMs} ms)`.trimEnd());
      const body =
        event.body.length > MAX_LOGGED_BODY
          ? `${event.body.slice(0, MAX_LOGGED_BODY)}... (${event.body.length} characters)`
          : event.body;
      if (body !== "") log(`< ${body}`);
    },
  };
}
