/** Whether Immuta's answer to a (dry-run) POST means it would change something. */
import type { Kind } from "../payload/kinds";
import type { DataResponse, ResponseByKind } from "../payload/types";

export function wouldChange(kind: Kind, response: ResponseByKind[Kind]): boolean {
  if (kind === "data") {
    const r = response as DataResponse;
    return (
      r.creating.length + r.updating.length + r.deleting.length + (r.disabling?.length ?? 0) > 0 ||
      r.tagsUpdated
    );
  }
  const r = response as { creating: boolean; updating: boolean };
  return r.creating || r.updating;
}
