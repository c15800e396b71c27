/**
 * POST /api/v2/project: a project, keyed by `projectKey`. Its purposes and data sources must
 * exist; the response counts the data sources added and removed and says whether a workspace is
 * created or deleted.
 */
import type { Problem } from "../errors";
import { canonicalJson } from "../payload/canonical";
import type { ProjectPayload, ProjectResponse } from "../payload/types";
import { badRequest } from "./http-error";
import type { Context, Plan } from "./plan";
import type { Query } from "./query";
import type { ProjectRecord } from "./records";

/** What a project record keeps of its payload, for the indexes. */
export function projectFields(payload: ProjectPayload) {
  return {
    purposes: [...new Set(payload.purposes ?? [])],
    datasources: [...new Set(payload.datasources ?? [])],
    workspaceType: payload.workspace?.type,
  };
}

export function planProject(
  context: Context,
  payload: ProjectPayload,
  query: Query,
): Plan<ProjectResponse, ProjectRecord> {
  const { state, now } = context;
  const fields = projectFields(payload);
  const problems: Problem[] = [];
  (payload.purposes ?? []).forEach((name, i) => {
    if (!state.purposeNames.has(name)) {
      problems.push({ path: `purposes[${i}]`, message: `no purpose named "${name}"` });
    }
  });
  (payload.datasources ?? []).forEach((name, i) => {
    if (!state.sources.has(name)) {
      problems.push({ path: `datasources[${i}]`, message: `no data source named "${name}"` });
    }
  });
  if (problems.length > 0) throw badRequest(problems);

  const previous = state.get("project", payload.projectKey);
  const payloadJson = canonicalJson(payload);
  const flag = query.deleteDataSourcesOnWorkspaceDelete;
  const changed =
    previous?.payload !== payloadJson || previous.deleteDataSourcesOnWorkspaceDelete !== flag;
  const before = new Set(previous?.datasources);
  const after = new Set(fields.datasources);
  const workspaceBefore = previous?.workspaceType;
  const workspaceAfter = fields.workspaceType;
  const response: ProjectResponse = {
    dryRun: query.dryRun,
    creating: !previous,
    updating: previous !== undefined && changed,
    numberOfDataSourcesAdded: fields.datasources.filter((name) => !before.has(name)).length,
    numberOfDataSourcesRemoved: [...before].filter((name) => !after.has(name)).length,
    creatingWorkspace: workspaceAfter !== undefined && workspaceAfter !== workspaceBefore,
    deletingWorkspace: workspaceBefore !== undefined && workspaceAfter !== workspaceBefore,
    projectId: previous?.id ?? state.peekId("project"),
  };
  if (!changed) return { response };
  const at = new Date(now).toISOString();
  return {
    response,
    record: {
      kind: "project",
      key: payload.projectKey,
      id: response.projectId,
      createdAt: previous?.createdAt ?? at,
      updatedAt: at,
      payload: payloadJson,
      ...fields,
      deleteDataSourcesOnWorkspaceDelete: flag,
    },
  };
}
