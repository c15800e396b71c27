/**
 * Secret placeholders (`{ "$env": "NAME" }`) and redaction. Pure and light: the CLI loads this on
 * every apply, so it imports nothing heavy.
 */
import { UsageError } from "../errors";
import type { EnvSecret } from "./types";

/** Fields whose values are secret wherever they appear in a payload. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(["password", "clientSecret", "content"]);

export const REDACTED = "[redacted]";

/** An environment variable's name, as `{ $env: NAME }` and `apiKeyEnv` take it. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isEnvSecret(value: unknown): value is EnvSecret {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { $env?: unknown }).$env === "string"
  );
}

export interface ResolvedSecrets<T> {
  readonly payload: T;
  /** The values substituted, so that output can be scrubbed of them. */
  readonly secretValues: readonly string[];
}

/**
 * Replaces every `{ $env: NAME }` with that variable's value. An unset variable is an error that
 * names the variable and the field (never a value).
 */
export function resolveSecrets<T>(payload: T, env: NodeJS.ProcessEnv): ResolvedSecrets<T> {
  const secretValues: string[] = [];
  const missing: string[] = [];
  const walk = (value: unknown, path: string): unknown => {
    if (isEnvSecret(value)) {
      const resolved = env[value.$env];
      if (resolved === undefined) {
        missing.push(`${path || "(payload)"}: environment variable ${value.$env} is not set`);
        return value;
      }
      if (resolved !== "") secretValues.push(resolved);
      return resolved;
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, `${path}[${i}]`));
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, path ? `${path}.${k}` : k);
      return out;
    }
    return value;
  };
  const resolved = walk(payload, "") as T;
  if (missing.length > 0) {
    throw new UsageError(`secret placeholder not resolvable:\n  ${missing.join("\n  ")}`);
  }
  return { payload: resolved, secretValues };
}

/** A copy of a payload fit to print: secret fields read `[redacted]`; placeholders stay as they are. */
export function redactPayload<T>(payload: T): T {
  const walk = (value: unknown, field: string | undefined): unknown => {
    if (isEnvSecret(value)) return value;
    if (field !== undefined && SECRET_FIELDS.has(field) && value !== null && value !== undefined) {
      return REDACTED;
    }
    if (Array.isArray(value)) return value.map((item) => walk(item, undefined));
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, k);
      return out;
    }
    return value;
  };
  return walk(payload, undefined) as T;
}

/** Removes every occurrence of the given secret values from a text. */
export function scrub(text: string, secretValues: readonly string[]): string {
  let out = text;
  // Longest first, so that a secret containing another is removed whole.
  for (const secret of [...secretValues].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) out = out.split(secret).join(REDACTED);
  }
  return out;
}
