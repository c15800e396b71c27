/**
 * What generated modules import in tests in place of "cdktf-immuta": the package itself, with a
 * `Project` that also records the query flag it was given (a prop, not payload: it reaches
 * Immuta as a flag of the apply command, which a test without Terraform does not run).
 */
import type { Construct } from "constructs";
import { Project as RealProject, type ProjectProps } from "../../src";

export * from "../../src";

export const projectFlags = new WeakMap<
  Construct,
  { deleteDataSourcesOnWorkspaceDelete?: boolean }
>();

export class Project extends RealProject {
  constructor(scope: Construct, id: string, props: ProjectProps) {
    super(scope, id, props);
    projectFlags.set(this, {
      deleteDataSourcesOnWorkspaceDelete: props.deleteDataSourcesOnWorkspaceDelete,
    });
  }
}
