/**
 * A tenant's connection settings as the provider layer writes them into each provisioner's argv,
 * and as the review reads them back (from the resource's descriptor) to reach the same tenant.
 */

export interface ConnectionSettings {
  /** Absent: the `IMMUTA_URL` environment variable, at apply time. */
  readonly url?: string;
  readonly apiKeyEnv?: string;
  readonly authHeader?: "bearer" | "raw";
  readonly timeoutSeconds?: number;
  readonly retries?: number;
}

/** The CLI flag of each setting; the CLI's connection options carry the same names. */
const FLAGS = {
  url: "url",
  apiKeyEnv: "api-key-env",
  authHeader: "auth-header",
  timeoutSeconds: "timeout",
  retries: "retries",
} as const satisfies Record<keyof ConnectionSettings, string>;

/** The settings as CLI option values (`{ url, "api-key-env", ... }`), only those given. */
export function connectionOptionValues(settings: ConnectionSettings): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [setting, flag] of Object.entries(FLAGS)) {
    const value = settings[setting as keyof ConnectionSettings];
    if (value !== undefined) values[flag] = String(value);
  }
  return values;
}

/** The settings as argv: `["--url", "https://...", "--retries", "2"]`. */
export function connectionArgs(settings: ConnectionSettings): string[] {
  return Object.entries(connectionOptionValues(settings)).flatMap(([flag, value]) => [
    `--${flag}`,
    value,
  ]);
}
