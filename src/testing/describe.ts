/** How failure messages and the CLI name a simulated user and an answer, in a reviewer's words. */
import type { ColumnAccess, SubscriptionAccess, UserSummary } from "../access/types";

/** `a user in groups Analysts, Data Science, acting under Research.Fraud (project fraud-analysis)` */
export function describeUser(user: UserSummary): string {
  const parts: string[] = [];
  parts.push(
    user.groups.length === 0
      ? "in no group"
      : `in group${user.groups.length === 1 ? "" : "s"} ${user.groups.join(", ")}`,
  );
  const attributes = Object.entries(user.attributes).map(([k, v]) => `${k}=${v.join("|")}`);
  if (attributes.length > 0) parts.push(`with ${attributes.join(", ")}`);
  if (user.purposes.length > 0) parts.push(`acting under ${user.purposes.join(", ")}`);
  if (user.project) parts.push(`in project ${user.project.projectKey}`);
  return `a user ${parts.join(", ")}`;
}

/** `clear`, `masked (Hash)`, `masked (Hash where region = 'EU')`, `hidden`. */
export function columnState(column: ColumnAccess): string {
  if (column.state === "not visible") return "hidden";
  if (column.state === "clear" || !column.masking) return "clear";
  const where = column.masking.where ? ` where ${column.masking.where}` : "";
  return `masked (${column.masking.type}${where})`;
}

/** How a subscription answer reads: `subscribed automatically`, `denied`, ... */
export const ACCESS_WORDS: Record<SubscriptionAccess, string> = {
  automatic: "subscribed automatically",
  self: "may subscribe",
  approval: "may ask, and needs an approval",
  manual: "only an owner can add them",
  denied: "denied",
  none: "no subscription policy applies",
  unknown: "unknown (the policy cannot be evaluated)",
};
