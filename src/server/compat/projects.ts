/**
 * `GET /project/{id}`, `GET /project` (`searchText`, `nameOnly`) and
 * `POST /project/{id}/members/{subscriptionId}/acknowledge` (compatibility routes): the projects
 * the V2 API stores, by the `projectId` its responses return, in the shapes Immuta's Terraform
 * provider decodes (`Project`, `FindProjectsResponse`). A view shows the payload as last POSTed
 * (as `GET /api/v2/project/{key}` does), its tags and purposes as objects as Immuta lists them.
 *
 * Membership [ours]: the embedded server keeps no project members. Each project has one member
 * subscription, its caller's, whose id is the project's own; acknowledging it answers 200 and
 * changes nothing (the server never asks for an acknowledgement before a project names a purpose).
 */
import { redactPayload } from "../../payload/secrets";
import type { ProjectPayload, PurposePayload, Subpurpose } from "../../payload/types";
import { HttpError, badRequest } from "../http-error";
import type { ProjectRecord } from "../records";
import type { State } from "../state";
import { TAG_SEPARATOR } from "../choices";
import { page } from "./paging";
import type { CompatQuery } from "./query";
import type { TagRegistry } from "./tag-registry";
import { isObject } from "../request-shape";

/** `GET /project` answers this many projects unless `size` says otherwise (Immuta's default). */
const PAGE_SIZE = 10;

/** The stored project a route's `{id}` names, or the 404. */
export function projectById(state: State, id: string): ProjectRecord {
  const key = state.keyOfId("project", Number(id));
  const record = key === undefined ? undefined : state.get("project", key);
  if (!record) throw new HttpError(404, `No project with id ${id}`);
  return record;
}

/** A project as Immuta's project endpoints answer it; secrets redacted as on every GET. */
export function projectView(state: State, tags: TagRegistry, record: ProjectRecord): object {
  const p = redactPayload(JSON.parse(record.payload) as ProjectPayload, record.secretPaths);
  const optional = <K extends keyof ProjectPayload>(field: K) =>
    p[field] !== undefined ? { [field]: p[field] } : {};
  return {
    id: record.id,
    projectKey: record.key,
    name: p.name,
    ...optional("description"),
    ...optional("documentation"),
    allowMaskedJoins: p.allowMaskedJoins ?? false,
    ...optional("subscriptionPolicy"),
    ...optional("equalization"),
    ...optional("workspace"),
    tags: (p.tags ?? []).map((name) => tagOf(tags, name as string)),
    purposes: (p.purposes ?? []).map((name) => purposeOf(state, name)),
    status: "open",
    deleted: false,
    type: "user",
    subscriptionId: record.id,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** A project's tag as Immuta lists it: with its id when the tag was created with `POST /tag`. */
function tagOf(tags: TagRegistry, name: string) {
  const id = tags.get(name)?.id;
  return {
    ...(id !== undefined ? { id } : {}),
    name,
    displayName: name.slice(name.lastIndexOf(TAG_SEPARATOR) + 1),
    source: "curated",
    deleted: false,
  };
}

/** A project's purpose (or sub-purpose) with its description and acknowledgement. */
function purposeOf(state: State, name: string) {
  const key = state.purposeNames.get(name);
  const record = key === undefined ? undefined : state.get("purpose", key);
  if (!record) return { name };
  const payload = redactPayload(JSON.parse(record.payload) as PurposePayload, record.secretPaths);
  const find = (list: readonly Subpurpose[] | undefined): Subpurpose | undefined => {
    for (const sub of list ?? []) {
      const found = sub.name === name ? sub : find(sub.subpurposes);
      if (found) return found;
    }
    return undefined;
  };
  const own = name === payload.name ? payload : find(payload.subpurposes);
  return {
    ...(name === payload.name ? { id: record.id } : {}),
    name,
    ...(own?.description !== undefined ? { description: own.description } : {}),
    ...(own?.acknowledgement !== undefined ? { acknowledgement: own.acknowledgement } : {}),
  };
}

/**
 * `GET /project`: `{ hits, count, facets }`. `searchText` matches a part of the name (with
 * `nameOnly=true`) or of the name, description or documentation, in any letter case; a project
 * named exactly so comes first (Immuta's provider takes the first hit as the project it named).
 * Immuta's page size (10) unless `size` or `noLimit=true` says otherwise.
 */
export function searchProjects(state: State, tags: TagRegistry, query: CompatQuery) {
  const text = typeof query.searchText === "string" ? query.searchText.toLowerCase() : "";
  const hits: { exact: boolean; name: string; record: ProjectRecord }[] = [];
  for (const key of state.keys("project")) {
    const record = state.get("project", key)!;
    // Redacted first: a search must not tell a secret's text by matching it.
    const p = redactPayload(JSON.parse(record.payload) as ProjectPayload, record.secretPaths);
    const name = String(p.name);
    const fields = query.nameOnly === true ? [name] : [name, p.description, p.documentation];
    if (!fields.some((f) => typeof f === "string" && f.toLowerCase().includes(text))) continue;
    hits.push({ exact: text !== "" && name.toLowerCase() === text, name, record });
  }
  hits.sort(
    (a, b) =>
      Number(b.exact) - Number(a.exact) ||
      a.name.localeCompare(b.name) ||
      (a.record.key < b.record.key ? -1 : 1),
  );
  return {
    hits: page(hits, query, PAGE_SIZE).map((h) => projectView(state, tags, h.record)),
    count: hits.length,
    facets: {},
  };
}

/** `POST /project/{id}/members/{subscriptionId}/acknowledge`, with `{}` or no body. */
export function acknowledge(state: State, id: string, subscriptionId: string, body: unknown) {
  const record = projectById(state, id);
  if (Number(subscriptionId) !== record.id) {
    throw new HttpError(
      404,
      `No member subscription ${subscriptionId} in project ${JSON.stringify(record.key)}: its one ` +
        `member, the caller, has subscription ${record.id} (the subscriptionId GET /project/${id} answers)`,
    );
  }
  if (body !== undefined && (!isObject(body) || Object.keys(body).length > 0)) {
    throw badRequest([{ path: "", message: "must be an empty object, {}" }]);
  }
  return { projectId: record.id, subscriptionId: record.id, acknowledged: true };
}
