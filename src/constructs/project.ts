import type { Construct } from "constructs";
import type { ProjectPayload } from "../payload/types";
import { DataSourceNameReference } from "./data-source-name";
import { ImmutaObject, type ImmutaObjectOptions } from "./immuta-object";
import { projectPayload } from "./props";
import { Purpose, type PurposeReference } from "./purpose";

export interface ProjectProps
  extends Omit<ProjectPayload, "purposes" | "datasources">, ImmutaObjectOptions {
  /**
   * The project's purposes: `Purpose` constructs of this stack (the project then depends on
   * them), `purpose.subpurpose("Clinical")`, or names of purposes managed elsewhere.
   */
  readonly purposes?: readonly PurposeReference[];
  /**
   * Data source names: `dataSource.dataSourceName(schema, table)` for connections of this stack
   * (the project then depends on them), or names of data sources managed elsewhere.
   */
  readonly datasources?: readonly string[];
  /**
   * When the project's workspace is deleted, delete its data and data sources too.
   * @default false
   */
  readonly deleteDataSourcesOnWorkspaceDelete?: boolean;
}

/** A project (`POST /api/v2/project`): its purposes, data sources and subscription policy. */
export class Project extends ImmutaObject<"project"> {
  constructor(scope: Construct, id: string, props: ProjectProps) {
    const references = (props.datasources ?? []).map((name) => DataSourceNameReference.from(name));
    const datasources = props.datasources?.map((name, i) => references[i]?.name ?? name);
    super(scope, id, "project", projectPayload({ ...props, datasources }), {
      provider: props.provider,
      adopt: props.adopt,
      applyFlags: () =>
        props.deleteDataSourcesOnWorkspaceDelete
          ? ["--delete-data-sources-on-workspace-delete"]
          : [],
    });
    for (const purpose of props.purposes ?? []) {
      if (purpose instanceof Purpose) this.addDependency(purpose);
      else if (typeof purpose === "object" && purpose.purpose) this.addDependency(purpose.purpose);
    }
    for (const reference of references) if (reference) this.addDependency(reference.dataSource);
  }
}
