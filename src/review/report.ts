/** A review's objects, sorted and counted the way every format shows them: deletions first. */
import type { PersonaAccessChange } from "./persona-access";
import type { ObjectReview } from "./review";

export interface Report {
  /** "Immuta plan" or "Immuta drift". */
  readonly title: string;
  readonly stack: string;
  readonly objects: readonly ObjectReview[];
  /** Things a reader should know about the review itself (what could not be checked, and why). */
  readonly notes: readonly string[];
  /** `plan --personas`: what each persona gains and loses, persona by persona. */
  readonly personas?: readonly PersonaAccessChange[];
}

export type Category =
  "held" | "delete" | "remove-data" | "error" | "create" | "update" | "unknown" | "unchanged";

/** In the order reports show them: what destroys or hides data first, what changes nothing last. */
export const CATEGORY_ORDER: readonly Category[] = [
  "held",
  "delete",
  "remove-data",
  "error",
  "create",
  "update",
  "unknown",
  "unchanged",
];

export const CATEGORY_LABEL: Record<Category, string> = {
  held: "exist in Immuta, not managed by this stack",
  delete: "to delete",
  "remove-data": "deleting or disabling data sources",
  error: "failed to check",
  create: "to create",
  update: "to update",
  unknown: "not checked",
  unchanged: "unchanged",
};

export function categoryOf(review: ObjectReview): Category {
  if (review.held) return "held";
  const { outcome } = review;
  switch (outcome.type) {
    case "delete":
      return "delete";
    case "error":
      return "error";
    case "unknown":
      return "unknown";
    case "no-change":
      return "unchanged";
    case "change": {
      if (outcome.loud) return "remove-data";
      const r = outcome.response as {
        creating: boolean | string[];
        noChange?: string[];
        updating: unknown;
      };
      const created = Array.isArray(r.creating)
        ? r.creating.length > 0 &&
          (r.noChange?.length ?? 0) === 0 &&
          (r.updating as string[]).length === 0
        : r.creating;
      return created ? "create" : "update";
    }
  }
}

export function sorted(report: Report): ObjectReview[] {
  const rank = (r: ObjectReview) => CATEGORY_ORDER.indexOf(categoryOf(r));
  return [...report.objects].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.kind.localeCompare(b.kind) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

export function counts(report: Report): Record<Category, number> {
  const out = Object.fromEntries(CATEGORY_ORDER.map((c) => [c, 0])) as Record<Category, number>;
  for (const r of report.objects) out[categoryOf(r)]++;
  return out;
}

/** "1 to delete, 2 to create, 3 unchanged": the non-zero counts, in report order. */
export function countLine(report: Report): string {
  const c = counts(report);
  const label = (k: Category) =>
    k === "held" && c[k] === 1 ? CATEGORY_LABEL[k].replace(/^exist/, "exists") : CATEGORY_LABEL[k];
  const parts = CATEGORY_ORDER.filter((k) => c[k] > 0).map((k) => `${c[k]} ${label(k)}`);
  return parts.join(", ") || "no changes";
}

/** Whether anything would change: the basis of the exit code (0 none, 2 some). */
export function hasChanges(report: Report): boolean {
  return report.objects.some((r) => !["unchanged", "error", "held"].includes(categoryOf(r)));
}

/** Whether the review found what fails a deploy: an error, or a key another owner holds. */
export function hasErrors(report: Report): boolean {
  return report.objects.some((r) => ["error", "held"].includes(categoryOf(r)));
}

/** "+ group Analysts, - purpose Marketing" */
export function accessLine(review: ObjectReview): string | undefined {
  const a = review.access;
  if (!a || (a.gained.length === 0 && a.lost.length === 0)) return undefined;
  return [...a.gained.map((g) => `+ ${g}`), ...a.lost.map((l) => `- ${l}`)].join(", ");
}

/** "removes public.customers, public.orders from project fraud", one line per project. */
export function projectLosses(review: ObjectReview): string[] {
  return (review.removedFromProjects ?? []).map(
    (p) => `removes ${p.datasources.join(", ")} from project ${p.projectKey}`,
  );
}

/** "contractor: email on public.customers masked (Hash) → clear", tenant first when named. */
export function personaLine(change: PersonaAccessChange): string {
  return `${change.tenant ? `[${change.tenant}] ` : ""}${change.persona}: ${change.change}`;
}
