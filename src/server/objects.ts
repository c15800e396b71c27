/**
 * DELETE and GET of a stored object. Deleting what a project still uses is refused (409), as
 * Immuta would leave the project pointing at nothing; reading never returns a secret.
 */
import { KIND_LABEL, type Kind } from "../payload/kinds";
import { redactPayload } from "../payload/secrets";
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

export function planDelete(state: State, kind: Kind, key: string, query: Query): DeletePlan {
  const record = find(state, kind, key);
  const [names, uses, what] =
    record.kind === "data"
      ? [record.sources.map((s) => s.name), state.projectsBySource, "data sources"]
      : record.kind === "purpose"
        ? [record.names, state.projectsByPurpose, "purposes"]
        : [[], undefined, ""];
  const users = uses?.of(names) ?? [];
  if (users.length > 0) {
    const used = names.filter((name) => uses!.has(name));
    throw new HttpError(
      409,
      `${KIND_LABEL[kind]} ${JSON.stringify(key)} is in use by project${users.length === 1 ? "" : "s"} ` +
        `${users.map((u) => JSON.stringify(u)).join(", ")} (${what} ${used.map((n) => JSON.stringify(n)).join(", ")}); ` +
        `remove it from ${users.length === 1 ? "that project" : "those projects"} first`,
    );
  }
  return { response: { dryRun: query.dryRun, deleted: key }, kind, key };
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
