/**
 * A payload as it is sent: its secret placeholders replaced by the environment's values, which
 * join the values every output is scrubbed of, and where they sit, for the server's redaction.
 */
import type { ApplyOptions } from "../client/client";
import { resolveSecrets } from "../payload/secrets";
import type { AnyPayload } from "../payload/types";

export interface Sendable {
  readonly payload: AnyPayload;
  readonly options: ApplyOptions;
}

export function sendable(
  payload: unknown,
  env: NodeJS.ProcessEnv,
  secrets: { add(...values: string[]): void },
): Sendable {
  const resolved = resolveSecrets(payload, env);
  secrets.add(...resolved.secretValues);
  return {
    payload: resolved.payload as AnyPayload,
    options: { secretPaths: resolved.secretPaths },
  };
}
