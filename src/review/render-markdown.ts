/**
 * The review as one pull-request comment: a header with the counts, deletions and disabled data
 * sources first, then one collapsible section per changed object. GitHub refuses comments over
 * 65,536 characters, so when the full comment would not fit, sections are summarised (whole
 * tables, whole sections, never a cut in the middle of one) and the rest is counted.
 */
import { redactPayload } from "../payload/secrets";
import { fieldLines } from "./field-diff";
import type { ObjectReview } from "./review";
import {
  accessLine,
  categoryOf,
  countLine,
  personaLine,
  projectLosses,
  sorted,
  type Report,
} from "./report";

export const GITHUB_COMMENT_LIMIT = 65_536;
/** Room kept for the marker, the footer and GitHub's own accounting of characters. */
const BUDGET = GITHUB_COMMENT_LIMIT - 2_048;

/** Marks the comment, so a workflow can find and update it rather than post another. */
export const COMMENT_MARKER = "<!-- cdktf-immuta-review -->";

const ICON = {
  held: "⛔",
  delete: "🗑️",
  "remove-data": "⚠️",
  error: "❌",
  create: "➕",
  update: "✏️",
  unknown: "❔",
  unchanged: "✔️",
} as const;

/** Text safe inside HTML and a table cell: a key may hold `|`, `<` or backticks. */
function escape(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "&#124;")
    .replace(/`/g, "&#96;")
    .replace(/\r?\n/g, " ");
}

/** Text in a list item: also what markdown would turn into emphasis, links or mentions. */
function escapeInline(text: string): string {
  return escape(text)
    .replace(/[*_[\]\\]/g, (c) => `\\${c}`)
    .replace(/@/g, "&#64;");
}

function row(review: ObjectReview): string {
  const access = accessLine(review);
  const losses = projectLosses(review)
    .map((l) => `<br>⚠️ ${escape(l)}`)
    .join("");
  return `| ${ICON[categoryOf(review)]} | ${escape(review.outcome.summary)}${losses}${access ? `<br>access: ${escape(access)}` : ""} |`;
}

function table(reviews: readonly ObjectReview[]): string {
  return ["| | what Immuta would do |", "|---|---|", ...reviews.map(row)].join("\n");
}

function details(review: ObjectReview): string {
  const lines = [
    `<details><summary>${ICON[categoryOf(review)]} ${escape(review.outcome.summary)}</summary>`,
    "",
  ];
  if (review.terraform) lines.push(`- Terraform: ${escape(review.terraform)}`);
  for (const loss of projectLosses(review)) lines.push(`- ⚠️ ${escape(loss)}`);
  const access = review.access;
  if (access?.gained.length) lines.push(`- access gained: ${escape(access.gained.join(", "))}`);
  if (access?.lost.length) lines.push(`- access lost: ${escape(access.lost.join(", "))}`);
  const fields = fieldLines(review.fields ?? []);
  if (fields.length > 0) lines.push("- fields:", ...fields.map((f) => `  - ${escape(f)}`));
  if (review.outcome.type === "change") {
    const answer = JSON.stringify(redactPayload(review.outcome.response), null, 2);
    lines.push("", "Immuta's answer to the dry run:", "", "```json", answer, "```");
  }
  lines.push("", "</details>");
  return lines.join("\n");
}

/** A section in its full form, a shorter one, and a table of as many rows as fit. */
interface Section {
  readonly full: string;
  readonly short: string;
  readonly capped: (room: number) => string | undefined;
  /** How many objects it covers, to count what had to be left out. */
  readonly objects: number;
}

/**
 * `head`, then the first of `lines` that fit in `room` with room kept for `closing`, which counts
 * the rest after them; undefined when not one fits. Never half a line, nor half a table.
 */
function fitting(
  head: readonly string[],
  lines: readonly string[],
  room: number,
  closing: (rest: number) => string,
): string | undefined {
  const out = [...head];
  let size = out.join("\n").length;
  for (const [i, line] of lines.entries()) {
    if (size + line.length + 1 + closing(lines.length).length + 1 > room) {
      if (i === 0) return undefined;
      out.push(closing(lines.length - i));
      break;
    }
    out.push(line);
    size += line.length + 1;
  }
  return out.join("\n");
}

const SEE_JSON = "(see `immuta-v2 plan --format json`)";

/** A whole table of the first rows that fit in `room`, closed by a row counting the rest. */
function cappedTable(
  heading: string,
  reviews: readonly ObjectReview[],
  room: number,
): string | undefined {
  return fitting(
    [heading, "", "| | what Immuta would do |", "|---|---|"],
    reviews.map((review) => row(brief(review))),
    room,
    (rest) => `| … | and ${rest} more ${SEE_JSON} |`,
  );
}

/** A list of the first lines that fit in `room`, closed by a line counting the rest. */
function cappedList(heading: string, items: readonly string[], room: number): string | undefined {
  return fitting(
    [heading, ""],
    items.map((item) => `- ${escapeInline(item)}`),
    room,
    (rest) => `- … and ${rest} more ${SEE_JSON}`,
  );
}

function sections(report: Report): Section[] {
  const all = sorted(report);
  const out: Section[] = [];
  const personas = (report.personas ?? []).map(personaLine);
  if (personas.length > 0) {
    // First: who can now see what. It takes at most half the comment (notes at most an eighth),
    // so it always fits whole, and the objects follow.
    const heading = "### 👥 Access changes by persona";
    const full = cappedList(heading, personas, BUDGET / 2) ?? heading;
    out.push({
      full,
      short: full,
      capped: (room) => cappedList(heading, personas, Math.min(room, BUDGET / 2)),
      objects: 0,
    });
  }
  const loud = all.filter((r) =>
    ["held", "delete", "remove-data", "error"].includes(categoryOf(r)),
  );
  const changed = all.filter((r) => ["create", "update", "unknown"].includes(categoryOf(r)));
  const unchanged = all.filter((r) => categoryOf(r) === "unchanged");
  if (loud.length > 0) {
    const heading = "### ⚠️ Deletions, disabled data sources and failures";
    out.push({
      full: `${heading}\n\n${table(loud)}`,
      short: `${heading}\n\n${table(loud.map(brief))}`,
      capped: (room) => cappedTable(heading, loud, room),
      objects: loud.length,
    });
  }
  if (changed.length > 0) {
    const heading = "### Changes";
    out.push({
      full: `${heading}\n\n${changed.map(details).join("\n\n")}`,
      short: `${heading}\n\n${table(changed.map(brief))}`,
      capped: (room) => cappedTable(heading, changed, room),
      objects: changed.length,
    });
  }
  if (unchanged.length > 0) {
    const list = unchanged.map((r) => `- ${escape(r.outcome.summary)}`).join("\n");
    out.push({
      full: `<details><summary>${unchanged.length} unchanged</summary>\n\n${list}\n\n</details>`,
      short: `${unchanged.length} unchanged objects (not listed here).`,
      capped: () => `${unchanged.length} unchanged objects (not listed here).`,
      objects: unchanged.length,
    });
  }
  return out;
}

/** A review without its long lists of data source names, for the short form of a section. */
function brief(review: ObjectReview): ObjectReview {
  const summary = review.outcome.summary.replace(/ \(([^)]*)\)/g, (match, names: string) =>
    names.length > 80 ? "" : match,
  );
  return { ...review, outcome: { ...review.outcome, summary } as ObjectReview["outcome"] };
}

/** The notes as a quote, in at most an eighth of the comment: the rest counted. */
function noteLines(notes: readonly string[]): string {
  const lines: string[] = [];
  let size = 0;
  for (const [i, note] of notes.entries()) {
    const line = `> ${escape(note)}`;
    if (size + line.length + 1 > BUDGET / 8) {
      lines.push(`> … and ${notes.length - i} more notes (see \`immuta-v2 plan --format json\`)`);
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join("\n");
}

export function renderMarkdown(report: Report): string {
  const header = [
    COMMENT_MARKER,
    `## ${report.title} for \`${escape(report.stack)}\``,
    "",
    `**${countLine(report)}**`,
  ].join("\n");
  const notes = noteLines(report.notes);
  const parts = [header];
  // Room for the closing note about what could not be shown.
  let size = header.length + notes.length + 400;
  let omitted = 0;
  const all = sections(report);
  all.forEach((section, i) => {
    // Later sections need at least a line each; keep that much room for them.
    const reserve = (all.length - i - 1) * 200;
    const room = BUDGET - size - reserve;
    // The full form if it fits, else the short one, else the rows that fit: never half a table.
    const chosen =
      [section.full, section.short].find((text) => text.length + 2 <= room) ?? section.capped(room);
    if (chosen) {
      parts.push(chosen);
      size += chosen.length + 2;
    } else {
      omitted += section.objects;
    }
  });
  if (omitted > 0) {
    parts.push(
      `_${omitted} more objects are not shown: the comment would exceed GitHub's limit. ` +
        "Run `immuta-v2 plan --format json` for the full review._",
    );
  }
  if (notes) parts.push(notes);
  return `${parts.join("\n\n")}\n`;
}
