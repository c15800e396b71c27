/**
 * Keeping secrets out of everything a command prints. A command collects the secret values it
 * handles (the API key, every resolved `$env` value) and writes only through `safeIo`, so that
 * no path (a log line, an error, a server message that echoes the payload back) can leak one.
 */
import { scrub } from "../payload/secrets";
import type { Io, Output } from "./io";
import { reportError } from "./report-error";

/**
 * Shorter values are not scrubbed: replacing every "e" or "dev" would garble ordinary output
 * (names, messages) while hiding nothing a real key or password is made of.
 */
export const MIN_SCRUBBED_LENGTH = 4;

export class Secrets {
  readonly #values = new Set<string>();

  /** Adds values to hide, with the forms they take inside JSON text and URLs. */
  add(...values: readonly string[]): void {
    for (const value of values) {
      if (value.length < MIN_SCRUBBED_LENGTH) continue;
      this.#values.add(value);
      this.#values.add(JSON.stringify(value).slice(1, -1));
      this.#values.add(encodeURIComponent(value));
    }
  }

  scrub(text: string): string {
    return this.#values.size === 0 ? text : scrub(text, [...this.#values]);
  }
}

/** An Io whose every write is scrubbed of the secrets (including ones added later). */
export function safeIo(io: Io, secrets: Secrets): Io {
  const wrap = (out: Output): Output => ({
    write: (chunk: string) => out.write(secrets.scrub(chunk)),
    isTTY: out.isTTY,
  });
  return { ...io, stdout: wrap(io.stdout), stderr: wrap(io.stderr) };
}

/**
 * Runs a command's body with scrubbed output, reporting its errors itself: `run` would print an
 * error's message as it is, and an error may quote a secret (a server echoing a field back).
 */
export async function runSafely(
  io: Io,
  body: (io: Io, secrets: Secrets) => Promise<number>,
): Promise<number> {
  const secrets = new Secrets();
  const out = safeIo(io, secrets);
  try {
    return await body(out, secrets);
  } catch (error) {
    return reportError(error, out);
  }
}
