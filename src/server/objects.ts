/**
 * DELETE and GET of a stored object. Deleting a purpose a project still uses is refused (409), as
 * Immuta would leave the project pointing at nothing; deleting a connection takes its data sources
 * out of the projects that name them, as deleting a data source in Immuta does (`cascade.ts`).
 * Reading never returns a secret.
 */
import { KIND_LABEL, type Kind } from "../payload/kinds";
import { redactPayload } from "../payload/secrets";
import { leaveProjects } from "./cascade";
import { describeSources } from "./data-sources";
import { HttpError } from "./http-error";
import type { DeletePlan } from "./plan";
import type { Query } from "./query";
import type { AnyRecord } from "./records";
import type { State } from "./state";

function find(state: State, kind: Kind, key: string): AnyRecord {
  const record = state.get(kind, key);
  if (!record) throw new HttpError(404, `No ${KIND_LABEL[kind]} with key ${JSON.stringify(key)}`);
  return record;
}

export function planDelete(
  state: State,
  kind: Kind,
  key: string,
  query: Query,
  now: number,
): DeletePlan {
  const record = find(state, kind, key);
  const response = { dryRun: query.dryRun, deleted: key };
  if (record.kind === "data") {
    // Its data sources leave the projects that name them (see `cascade.ts`).
    const cascade = leaveProjects(
      state,
      record.sources.map((s) => s.name),
      now,
    );
    return {
      response:
        cascade.removed.length > 0
          ? { ...response, removedFromProjects: cascade.removed }
          : response,
      kind,
      key,
      updates: cascade.records,
    };
  }
  if (record.kind === "purpose") {
    const users = state.projectsByPurpose.of(record.names);
    if (users.length > 0) {
      const used = record.names.filter((name) => state.projectsByPurpose.has(name));
      throw new HttpError(
        409,
        `${KIND_LABEL[kind]} ${JSON.stringify(key)} is in use by project${users.length === 1 ? "" : "s"} ` +
          `${users.map((u) => JSON.stringify(u)).join(", ")} (purposes ${used.map((n) => JSON.stringify(n)).join(", ")}); ` +
          `remove it from ${users.length === 1 ? "that project" : "those projects"} first`,
      );
    }
  }
  return { response, kind, key, updates: [] };
}

/**
 * The GET view: the payload as last POSTed plus the server's fields. Secrets are redacted: the
 * secret fields by name, and the values the client marked as secrets.
 */
export function readObject(state: State, kind: Kind, key: string, now: number): object {
  const record = find(state, kind, key);
  const view = {
    ...redactPayload(JSON.parse(record.payload) as object, record.secretPaths),
    id: record.id,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
  switch (record.kind) {
    case "data":
      return { ...view, dataOwners: record.owners, dataSources: describeSources(record, now) };
    case "policy":
      return { ...view, recertificationRequired: record.recertificationRequired };
    case "project":
      return {
        ...view,
        deleteDataSourcesOnWorkspaceDelete: record.deleteDataSourcesOnWorkspaceDelete,
      };
    case "purpose":
      return { ...view, reAcknowledgementRequired: record.reAcknowledgementRequired };
  }
}
