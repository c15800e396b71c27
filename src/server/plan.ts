/**
 * What every handler computes before anything changes: the response, and the record to store (or
 * the key to remove). The dispatcher applies it, or, for a dry run, only answers with it; so a dry
 * run answers exactly what the real call would.
 */
import type { Kind } from "../payload/kinds";
import type { DeleteResponse } from "../payload/types";
import type { Caller } from "./auth";
import type { RemovedFromProject } from "./cascade";
import type { CatalogIndex } from "./catalog";
import type { ProjectRecord } from "./records";
import type { State } from "./state";

export interface Context {
  readonly state: State;
  readonly catalog: CatalogIndex;
  readonly caller: Caller;
  /** The time of the request (epoch ms), one value for the whole plan. */
  readonly now: number;
  readonly creationDelayMs: number;
}

export interface Plan<Response, Record> {
  readonly response: Response;
  /** The new record; absent when nothing changes. */
  readonly record?: Record;
  /** Other objects the change rewrites with it (the projects its removed data sources leave). */
  readonly updates?: readonly ProjectRecord[];
}

export interface DeletePlan<K extends Kind = Kind> {
  readonly response: DeleteResponse & { readonly removedFromProjects?: RemovedFromProject[] };
  readonly kind: K;
  readonly key: string;
  /** Objects rewritten with the deletion, atomically (the projects its data sources leave). */
  readonly updates: readonly ProjectRecord[];
}
