/**
 * What every handler computes before anything changes: the response, and the record to store (or
 * the key to remove). The dispatcher applies it, or, for a dry run, only answers with it; so a dry
 * run answers exactly what the real call would.
 */
import type { Kind } from "../payload/kinds";
import type { DeleteResponse } from "../payload/types";
import type { Caller } from "./auth";
import type { CatalogIndex } from "./catalog";
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
}

export interface DeletePlan<K extends Kind = Kind> {
  readonly response: DeleteResponse;
  readonly kind: K;
  readonly key: string;
}
