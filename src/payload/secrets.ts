/**
 * Secret placeholders (`{ "$env": "NAME" }`) and redaction. Pure and light: the CLI loads this on
 * every apply, so it imports nothing heavy.
 */
import { UsageError } from "../errors";
import type { EnvSecret } from "./types";

/**
 * Fields whose values are secret wherever they appear in a payload, spelled as Immuta's connection
 * payloads (and the technologies behind them) spell them: passwords and passphrases, OAuth and
 * personal access tokens (Databricks `token`), private keys and their passwords (Snowflake key
 * pair: `privateKey.content`, `privateKeyPassword`), cloud credentials (S3 `secretAccessKey`,
 * `sessionToken`), Kerberos keytabs and key files, and `userFiles[].content`. Everything nested
 * under such a field is secret too.
 */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  "password",
  "passphrase",
  "clientSecret",
  "content",
  "token",
  "accessToken",
  "refreshToken",
  "personalAccessToken",
  "apiKey",
  "apiToken",
  "privateKey",
  "privateKeyPassword",
  "privateKeyPassphrase",
  "privateKeyContent",
  "secretAccessKey",
  "awsSecretAccessKey",
  "secretKey",
  "sessionToken",
  "sasToken",
  "keytab",
  "keyFile",
  "keyfile",
  "keyFileContent",
]);

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

/** Where a value sits in a payload: field names and array indexes (as strings), outermost first. */
export type SecretPath = readonly string[];

export interface ResolvedSecrets<T> {
  readonly payload: T;
  /** The values substituted, so that output can be scrubbed of them. */
  readonly secretValues: readonly string[];
  /** Where each substituted value sits, so that a server can redact it when reading back. */
  readonly secretPaths: readonly SecretPath[];
}

/**
 * Replaces every `{ $env: NAME }` with that variable's value. An unset or empty variable is an
 * error that names the variable and the field (never a value): a CI secret that is not configured
 * expands to the empty string, and sending "" as a password must not pass for a deploy.
 */
export function resolveSecrets<T>(payload: T, env: NodeJS.ProcessEnv): ResolvedSecrets<T> {
  const secretValues: string[] = [];
  const secretPaths: SecretPath[] = [];
  const missing: string[] = [];
  const segments: string[] = [];
  const walk = (value: unknown, path: string): unknown => {
    if (isEnvSecret(value)) {
      const resolved = env[value.$env];
      if (resolved === undefined || resolved === "") {
        missing.push(
          `${path || "(payload)"}: environment variable ${value.$env} is ${resolved === undefined ? "not set" : "empty"}`,
        );
        return value;
      }
      secretValues.push(resolved);
      secretPaths.push([...segments]);
      return resolved;
    }
    if (Array.isArray(value)) {
      return value.map((item, i) => {
        segments.push(String(i));
        const out = walk(item, `${path}[${i}]`);
        segments.pop();
        return out;
      });
    }
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        segments.push(k);
        out[k] = walk(v, path ? `${path}.${k}` : k);
        segments.pop();
      }
      return out;
    }
    return value;
  };
  const resolved = walk(payload, "") as T;
  if (missing.length > 0) {
    throw new UsageError(`secret placeholder not resolvable:\n  ${missing.join("\n  ")}`);
  }
  return { payload: resolved, secretValues, secretPaths };
}

/**
 * A copy of a payload fit to print: the value of every secret field, and every value nested under
 * one, reads `[redacted]` (true, false and null say nothing and stay); so does the value at each
 * of `paths` (values that arrived from a placeholder, whatever their field). Placeholders stay as
 * they are: they name a variable, not a value.
 */
export function redactPayload<T>(payload: T, paths: readonly SecretPath[] = []): T {
  const marked = pathTree(paths);
  const walk = (value: unknown, secret: boolean, here: PathTree | undefined): unknown => {
    if (isEnvSecret(value)) return value;
    if (here?.end) secret = true;
    if (Array.isArray(value)) {
      return value.map((item, i) => walk(item, secret, here?.children.get(String(i))));
    }
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        out[k] = walk(v, secret || SECRET_FIELDS.has(k), here?.children.get(k));
      }
      return out;
    }
    return secret && (typeof value === "string" || typeof value === "number") ? REDACTED : value;
  };
  return walk(payload, false, marked) as T;
}

interface PathTree {
  end: boolean;
  readonly children: Map<string, PathTree>;
}

function pathTree(paths: readonly SecretPath[]): PathTree | undefined {
  if (paths.length === 0) return undefined;
  const root: PathTree = { end: false, children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const segment of path) {
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = { end: false, children: new Map() }));
      node = child;
    }
    node.end = true;
  }
  return root;
}

/**
 * The request header in which a client tells a server where the values that came from
 * placeholders sit, so that the server never shows them back [ours]. Servers that do not know it
 * ignore it; it carries paths, never values.
 */
export const SECRET_PATHS_HEADER = "x-immuta-secret-paths";

/**
 * The header's value: comma-separated JSON Pointers (RFC 6901), each segment percent-encoded so
 * that commas and non-ASCII field names survive a header: `/connection/token,/connection/userFiles/0/content`.
 */
export function formatSecretPaths(paths: readonly SecretPath[]): string {
  return paths
    .map((path) =>
      path
        .map(
          (segment) => `/${encodeURIComponent(segment.replace(/~/g, "~0").replace(/\//g, "~1"))}`,
        )
        .join(""),
    )
    .join(",");
}

/** The paths a header names; undefined when it is not a list of JSON Pointers. */
export function parseSecretPaths(header: string): SecretPath[] | undefined {
  if (header.trim() === "") return [];
  const paths: SecretPath[] = [];
  for (const pointer of header.split(",")) {
    const text = pointer.trim();
    if (!text.startsWith("/")) return undefined;
    try {
      paths.push(
        text
          .slice(1)
          .split("/")
          .map((segment) => decodeURIComponent(segment).replace(/~1/g, "/").replace(/~0/g, "~")),
      );
    } catch {
      return undefined;
    }
  }
  return paths;
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
