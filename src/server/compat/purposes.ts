/**
 * `GET /governance/purpose/{id}`, `GET /governance/purpose`, `DELETE /governance/purpose/{id}`
 * (compatibility routes): the purposes the V2 API stores, by the `purposeId` its responses return,
 * in the shape Immuta's Terraform provider decodes (`PurposeResponse`, `Purposes`). A view shows
 * the payload as last POSTed, as `GET /api/v2/purpose/{name}` does: a field the payload left out
 * is absent, never filled with a system default (the provider compares what it reads with its
 * configuration, and would otherwise plan a change for every purpose without an acknowledgement).
 */
import { redactPayload } from "../../payload/secrets";
import type { PurposePayload, Subpurpose } from "../../payload/types";
import { HttpError } from "../http-error";
import type { PurposeRecord } from "../records";
import type { State } from "../state";
import { page } from "./paging";
import type { CompatQuery } from "./query";

/** The stored purpose a route's `{id}` names, or the 404. */
export function purposeById(state: State, id: string): PurposeRecord {
  const key = state.keyOfId("purpose", Number(id));
  const record = key === undefined ? undefined : state.get("purpose", key);
  if (!record) throw new HttpError(404, `No purpose with id ${id}`);
  return record;
}

function subpurposeView(sub: Subpurpose): object {
  return {
    name: sub.name,
    ...(sub.description !== undefined ? { description: sub.description } : {}),
    ...(sub.acknowledgement !== undefined ? { acknowledgement: sub.acknowledgement } : {}),
    ...(sub.subpurposes ? { subpurposes: sub.subpurposes.map(subpurposeView) } : {}),
  };
}

/** A purpose as Immuta's purpose endpoints answer it; secrets redacted as on every GET. */
export function purposeView(record: PurposeRecord, includeSubpurposes: boolean): object {
  const payload = redactPayload(JSON.parse(record.payload) as PurposePayload, record.secretPaths);
  const { name, description, acknowledgement, kAnonNoiseReduction } = payload;
  return {
    id: record.id,
    name,
    ...(description !== undefined ? { description } : {}),
    ...(acknowledgement !== undefined ? { acknowledgement } : {}),
    ...(kAnonNoiseReduction !== undefined ? { kAnonNoiseReduction } : {}),
    ...(includeSubpurposes ? { subpurposes: (payload.subpurposes ?? []).map(subpurposeView) } : {}),
    displayAcknowledgement: true,
    deleted: false,
    systemGenerated: false,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** `GET /governance/purpose`: `{ purposes, count }`, by name, `searchText` matching a part of it. */
export function listPurposes(state: State, query: CompatQuery) {
  const text = typeof query.searchText === "string" ? query.searchText.toLowerCase() : "";
  const found = state
    .keys("purpose")
    .filter((key) => key.toLowerCase().includes(text))
    .map((key) => purposeView(state.get("purpose", key)!, query.includeSubpurposes === true));
  return { purposes: page(found, query, undefined), count: found.length };
}
