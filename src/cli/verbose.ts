/**
 * `--verbose`: each request and answer on stderr, never a header (the API key travels in one).
 * Payloads, and answers that are JSON, are printed with their secret fields redacted; the Io given
 * is the scrubbed one, which removes any secret value that is left (the key, `$env` values, a
 * server echoing them). Loaded only when asked for.
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
      const text = redactedBody(event.body);
      const body =
        text.length > MAX_LOGGED_BODY
          ? `${text.slice(0, MAX_LOGGED_BODY)}... (${text.length} characters)`
          : text;
      if (body !== "") log(`< ${body}`);
    },
  };
}

/** A JSON answer with its secret fields redacted (a GET of a connection); other text as it is. */
function redactedBody(body: string): string {
  if (!/^\s*[[{]/.test(body)) return body;
  try {
    return JSON.stringify(redactPayload(JSON.parse(body) as unknown));
  } catch {
    return body;
  }
}
