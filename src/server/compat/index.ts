/**
 * The compatibility routes' answers (see `routes.ts`): reads straight from the server's state,
 * writes in their turn with the V2 API's (one change at a time), durable before they are answered.
 */
import type { Kind } from "../../payload/kinds";
import type { Change } from "../persist";
import type { AnyRecord } from "../records";
import type { State } from "../state";
import { acknowledge, projectById, projectView, searchProjects } from "./projects";
import { listPurposes, purposeById, purposeView } from "./purposes";
import type { CompatQuery } from "./query";
import type { CompatEndpoint } from "./routes";
import type { TagRegistry } from "./tag-registry";
import {
  applyTagPlan,
  planTagCreate,
  planTagDelete,
  searchTags,
  tagChanges,
  type TagPlan,
} from "./tags";

export { COMPAT_PATTERNS, ENDPOINTS, matchCompat, type CompatRoute } from "./routes";
export { parseCompatQuery, type CompatQuery } from "./query";
export { TagRegistry } from "./tag-registry";

/** What the routes need of the server. */
export interface CompatServices {
  readonly state: State;
  readonly tags: TagRegistry;
  /** Runs a change after the changes before it, and before the ones after it. */
  inTurn<T>(work: () => Promise<T>): Promise<T>;
  /** Makes changes durable, all or none (nothing with no data directory). */
  commit(changes: readonly Change[]): Promise<void>;
  /** Deletes an object as `DELETE /api/v2/{kind}/{key}` does, in its turn; answers the record. */
  deleteObject(kind: Kind, key: string): Promise<AnyRecord>;
}

export interface CompatRequest {
  readonly endpoint: CompatEndpoint;
  readonly params: Readonly<Record<string, string>>;
  readonly query: CompatQuery;
  /** The parsed body of a POST; undefined when it had none. */
  readonly body: unknown;
  readonly now: number;
}

/** The 200 answer's body; throws an `HttpError` for a 4xx. */
export async function answerCompat(
  services: CompatServices,
  request: CompatRequest,
): Promise<unknown> {
  const { state, tags } = services;
  const { params, query } = request;
  switch (request.endpoint) {
    case "purpose.list":
      return listPurposes(state, query);
    case "purpose.get":
      return purposeView(purposeById(state, params.id), query.includeSubpurposes === true);
    case "purpose.delete": {
      const record = purposeById(state, params.id);
      const deleted = await services.deleteObject("purpose", record.key);
      return { ...purposeView(deleted as typeof record, true), deleted: true };
    }
    case "project.list":
      return searchProjects(state, tags, query);
    case "project.get":
      return projectView(state, tags, projectById(state, params.id));
    case "project.acknowledge":
      return acknowledge(state, params.id, params.subscriptionId, request.body);
    case "tag.list":
      return searchTags(tags, query);
    case "tag.create":
      return changeTags(services, () => planTagCreate(tags, request.body, request.now));
    case "tag.delete":
      return changeTags(services, () => planTagDelete(tags, params.name));
  }
}

function changeTags(services: CompatServices, plan: () => TagPlan): Promise<unknown> {
  return services.inTurn(async () => {
    const planned = plan();
    await services.commit(tagChanges(planned));
    applyTagPlan(services.tags, planned);
    return planned.response;
  });
}
