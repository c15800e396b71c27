/**
 * Data sources that stop existing leave the projects that name them, as deleting a data source in
 * Immuta removes it from its projects: a connection deleted (its every source), or a POST that
 * hard-deletes or disables sources. The projects are rewritten without them, in the same commit as
 * the change that removes them, and the response names what left which project
 * (`removedFromProjects`). Pure: the plan of a dry run is the plan of the real call.
 */
import { canonicalJson } from "../payload/canonical";
import type { SecretPath } from "../payload/secrets";
import type { ProjectPayload, RemovedFromProject } from "../payload/types";
import { projectFields } from "./projects";
import type { ProjectRecord } from "./records";
import type { State } from "./state";

export interface Cascade {
  /** Sorted by project key; empty when no project names a leaving source. */
  readonly removed: RemovedFromProject[];
  /** The projects rewritten without the leaving sources. */
  readonly records: ProjectRecord[];
}

/** The projects rewritten without the named data sources. */
export function leaveProjects(state: State, names: readonly string[], now: number): Cascade {
  const removed: RemovedFromProject[] = [];
  const records: ProjectRecord[] = [];
  if (names.length === 0) return { removed, records };
  const leaving = new Set(names);
  const at = new Date(now).toISOString();
  for (const projectKey of state.projectsBySource.of(names)) {
    const record = state.get("project", projectKey)!;
    const payload = JSON.parse(record.payload) as ProjectPayload;
    const before = payload.datasources ?? [];
    /** Old index → new index of each kept entry, for the secret marks below. */
    const moved = new Map<string, string>();
    const kept: string[] = [];
    before.forEach((name, i) => {
      if (leaving.has(name)) return;
      moved.set(String(i), String(kept.length));
      kept.push(name);
    });
    const next: ProjectPayload = { ...payload, datasources: kept };
    records.push({
      ...record,
      ...projectFields(next),
      payload: canonicalJson(next),
      updatedAt: at,
      ...marksAfter(record.secretPaths, moved),
    });
    removed.push({
      projectKey,
      datasources: [...new Set(before.filter((name) => leaving.has(name)))],
    });
  }
  return { removed, records };
}

/** The secret marks once `datasources` entries moved (a removed entry's mark goes with it). */
function marksAfter(
  marks: readonly SecretPath[] | undefined,
  moved: ReadonlyMap<string, string>,
): { secretPaths?: readonly SecretPath[] } {
  if (!marks || marks.length === 0) return {};
  const out: SecretPath[] = [];
  for (const path of marks) {
    if (path[0] !== "datasources") out.push(path);
    else if (path.length > 1 && moved.has(path[1])) {
      out.push(["datasources", moved.get(path[1])!, ...path.slice(2)]);
    }
  }
  return out.length > 0 ? { secretPaths: out } : { secretPaths: undefined };
}

export type { RemovedFromProject };
