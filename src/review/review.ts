/**
 * Asking Immuta what it would do: each object's desired payload POSTed with `dryRun=true`, each
 * deletion sent with `dryRun=true`, the answers summarised per object. Shared by `plan` (what a
 * deploy would do) and `drift` (what changed outside Terraform).
 */
import { ApiError, ImmutaError } from "../errors";
import type { ImmutaClient } from "../client/client";
import type { Kind } from "../payload/kinds";
import { resolveSecrets } from "../payload/secrets";
import type { AnyPayload, DataResponse, RemovedFromProject } from "../payload/types";
import { applyOutcome, subject } from "../cli/outcome";
import type { AccessChange } from "./access";
import type { FieldChange } from "./field-diff";
import { wouldChange } from "./would-change";

export { wouldChange };

export type Outcome =
  /** Immuta would change something. `loud`: it would delete or disable data, or a workspace. */
  | {
      readonly type: "change";
      readonly summary: string;
      readonly loud: boolean;
      readonly response: unknown;
    }
  | { readonly type: "no-change"; readonly summary: string }
  | { readonly type: "delete"; readonly summary: string }
  /** Not asked: the payload holds values known only after apply, or a secret is not set here. */
  | { readonly type: "unknown"; readonly summary: string }
  /** Immuta refused or failed; `status` is its HTTP status when it answered. */
  | { readonly type: "error"; readonly summary: string; readonly status?: number };

export interface ObjectReview {
  readonly kind: Kind;
  readonly key: string;
  /** What Terraform plans for the object's resource, when a plan was given. */
  readonly terraform?: string;
  readonly outcome: Outcome;
  readonly access?: AccessChange;
  /**
   * Immuta holds this key and the stack never managed it: the deploy's guard will refuse it
   * (unless the code adopts it, then `adopting`).
   */
  readonly held?: boolean;
  readonly adopting?: boolean;
  /** The payload fields that differ: desired against what Immuta holds (drift) or held before (plan). */
  readonly fields?: readonly FieldChange[];
  /** Projects that would lose data sources (a connection deleted, sources disabled or deleted). */
  readonly removedFromProjects?: readonly RemovedFromProject[];
  /** Data source names Immuta would delete or disable (loud in every report). */
  readonly removedData?: {
    readonly deleting: readonly string[];
    readonly disabling: readonly string[];
  };
}

export interface Target {
  readonly kind: Kind;
  readonly key: string;
  readonly payload: unknown;
  /** Field paths known only after apply; the object is then not asked about. */
  readonly unknown: readonly string[];
  readonly terraform?: string;
  readonly access?: AccessChange;
  readonly client: ImmutaClient;
}

function isLoud(kind: Kind, response: unknown): boolean {
  if (kind === "data") {
    const r = response as DataResponse;
    return r.deleting.length > 0 || (r.disabling?.length ?? 0) > 0;
  }
  return (
    kind === "project" && (response as { deletingWorkspace?: boolean }).deletingWorkspace === true
  );
}

/**
 * A refused API key is the same answer for every object: it ends the review once, rather than
 * failing each object with the same 401.
 */
export class KeyRefusedError extends ImmutaError {
  get code() {
    return "KEY_REFUSED" as const;
  }
  /** The environment variables the refused keys were read from, when the caller knows. */
  keyEnvs: readonly string[] = [];
}

function rethrowRefusedKey(error: unknown): void {
  if (error instanceof ApiError && error.status === 401) {
    throw new KeyRefusedError(`Immuta refused the API key (401): ${error.serverMessage}`);
  }
}

/** Asks Immuta what POSTing one object's payload would do. Secret values it resolves are added to `secrets`. */
export async function reviewApply(
  target: Target,
  env: NodeJS.ProcessEnv,
  secrets: { add(...values: string[]): void },
): Promise<ObjectReview> {
  const base = {
    kind: target.kind,
    key: target.key,
    terraform: target.terraform,
    access: target.access,
  };
  if (target.unknown.length > 0) {
    return {
      ...base,
      outcome: {
        type: "unknown",
        summary: `values known only after apply: ${target.unknown.join(", ")}; not checked`,
      },
    };
  }
  let payload: unknown;
  try {
    const resolved = resolveSecrets(target.payload, env);
    secrets.add(...resolved.secretValues);
    payload = resolved.payload;
  } catch (error) {
    const reason =
      error instanceof ImmutaError ? error.message.replace(/\s+/g, " ") : String(error);
    return { ...base, outcome: { type: "unknown", summary: `${reason}; not checked` } };
  }
  try {
    const response = await target.client.apply(target.kind, payload as AnyPayload, {
      dryRun: true,
    });
    const summary = applyOutcome(target.kind, target.key, response, true).replace(/^dry run: /, "");
    if (!wouldChange(target.kind, response)) {
      return { ...base, outcome: { type: "no-change", summary } };
    }
    const data = target.kind === "data" ? (response as DataResponse) : undefined;
    return {
      ...base,
      outcome: { type: "change", summary, loud: isLoud(target.kind, response), response },
      removedData: data && { deleting: data.deleting, disabling: data.disabling ?? [] },
      removedFromProjects: data?.removedFromProjects,
    };
  } catch (error) {
    rethrowRefusedKey(error);
    return {
      ...base,
      outcome: {
        type: "error",
        summary: errorSummary(target.kind, target.key, error),
        status: error instanceof ApiError ? error.status : undefined,
      },
    };
  }
}

/**
 * Asks Immuta whether it would delete an object (404: already gone; 409: still in use).
 * @param namedAfterDeploy whether a project of the stack will still name the object after the
 *   deploy. A dry run answers for Immuta as it is now, before the deploy updates the projects
 *   that stop naming the object, so a 409 alone does not mean the deletion will fail.
 */
export async function reviewDelete(
  kind: Kind,
  key: string,
  client: ImmutaClient,
  namedAfterDeploy: boolean,
  terraform?: string,
): Promise<ObjectReview> {
  const base = { kind, key, terraform };
  const deleted = (summary: string): ObjectReview => ({
    ...base,
    outcome: { type: "delete", summary },
  });
  try {
    const answer = await client.delete(kind, key, { dryRun: true });
    return {
      ...deleted(`${subject(kind, key)}: would be deleted`),
      removedFromProjects: answer.removedFromProjects,
    };
  } catch (error) {
    rethrowRefusedKey(error);
    if (error instanceof ApiError && error.status === 404) {
      return {
        ...base,
        outcome: {
          type: "no-change",
          summary: `${subject(kind, key)}: already absent, nothing to delete`,
        },
      };
    }
    if (error instanceof ApiError && error.status === 409 && !namedAfterDeploy) {
      return deleted(
        `${subject(kind, key)}: would be deleted once the deploy has updated this stack's ` +
          `projects (Immuta reports it in use now: ${error.serverMessage})`,
      );
    }
    return { ...base, outcome: { type: "error", summary: errorSummary(kind, key, error) } };
  }
}

/**
 * Whether Immuta already holds a key (a dry-run DELETE answers 200; 404 when absent), asked for an
 * object the stack is about to create: what its deploy's guard will ask.
 */
export async function holdsKey(client: ImmutaClient, kind: Kind, key: string): Promise<boolean> {
  try {
    await client.delete(kind, key, { dryRun: true });
    return true;
  } catch (error) {
    rethrowRefusedKey(error);
    if (error instanceof ApiError && error.status === 404) return false;
    throw error;
  }
}

function errorSummary(kind: Kind, key: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.includes(key) ? message : `${subject(kind, key)}: ${message}`;
}
