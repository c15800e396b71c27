import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "../../src/review/render-markdown";
import type { Report } from "../../src/review/report";
import type { ObjectReview } from "../../src/review/review";

const change = (key: string, summary: string, loud = false): ObjectReview => ({
  kind: "data",
  key,
  outcome: {
    type: "change",
    summary,
    loud,
    response: {
      creating: [],
      updating: ["x"],
      deleting: [],
      disabling: loud ? ["y"] : [],
      noChange: [],
      tagsUpdated: false,
    },
  },
});

const report = (objects: ObjectReview[]): Report => ({
  title: "Immuta plan",
  stack: "s",
  objects,
  notes: [],
});

describe("the markdown comment", () => {
  it("puts deletions and disabled data first, and escapes what a key may hold", () => {
    const markdown = renderMarkdown(
      report([
        change("a", 'data source connection "a|<b>`c`": would update 1 (x)'),
        {
          kind: "purpose",
          key: "Old",
          outcome: { type: "delete", summary: 'purpose "Old": would be deleted' },
        },
        change("d", 'data source connection "d": would disable 1 (y)', true),
      ]),
    );
    const deletions = markdown.indexOf("### ⚠️ Deletions");
    const changes = markdown.indexOf("### Changes");
    expect(deletions).toBeGreaterThan(0);
    expect(changes).toBeGreaterThan(deletions);
    expect(markdown.slice(deletions, changes)).toContain('purpose "Old": would be deleted');
    expect(markdown.slice(deletions, changes)).toContain("would disable 1 (y)");
    expect(markdown).toContain("a&#124;&lt;b&gt;&#96;c&#96;");
  });

  it("summarises rather than cuts when the full comment would not fit", () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      change(
        `k${i}`,
        `data source connection "connection-${i}": would update 1 (${"t".repeat(60)})`,
      ),
    );
    const markdown = renderMarkdown(report(many));
    expect(markdown.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(markdown).toContain("**3000 to update**");
    expect(markdown).not.toContain("<details>");
    const rows = markdown.split("\n").filter((l) => l.startsWith("|"));
    expect(rows.every((l) => l.endsWith("|"))).toBe(true);
    expect(markdown).toMatch(/\| … \| and \d+ more/);
  });
});
