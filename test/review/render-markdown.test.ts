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

  it("puts each persona's access changes first, and gives them at most half the comment", () => {
    const withPersonas = (count: number): Report => ({
      ...report([change("d", 'data source connection "d": would disable 1 (y)', true)]),
      personas: Array.from({ length: count }, (_, i) => ({
        persona: "contractor",
        dataSource: `public.t${i}`,
        change: `email on public.t${i}: masked (Hash) → clear`,
      })),
    });
    const few = renderMarkdown(withPersonas(2));
    const personas = few.indexOf("### 👥 Access changes by persona");
    expect(personas).toBeGreaterThan(0);
    expect(few.indexOf("### ⚠️ Deletions")).toBeGreaterThan(personas);
    expect(few).toContain("- contractor: email on public.t1: masked (Hash) → clear\n");
    const many = renderMarkdown(withPersonas(5_000));
    expect(many.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    const section = many.slice(many.indexOf("### 👥"), many.indexOf("### ⚠️ Deletions"));
    expect(section.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT / 2);
    expect(section).toMatch(/- … and \d+ more \(see `immuta-v2 plan --format json`\)\n/);
    expect(many).toContain("would disable 1 (y)");
  });

  it("keeps notes to an eighth of the comment, and escapes what markdown would act on", () => {
    const markdown = renderMarkdown({
      ...report([change("d", 'data source connection "d": would update 1 (x)')]),
      notes: Array.from({ length: 2_000 }, (_, i) => `note ${i}: ${"x".repeat(60)}`),
      personas: [
        {
          persona: "@contractors",
          dataSource: "public.a_b",
          change: "public.a_b: [link](http://x) *bold* → clear",
        },
      ],
    });
    expect(markdown.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(markdown).toMatch(/> … and \d+ more notes \(see `immuta-v2 plan --format json`\)\n$/);
    expect(markdown).toContain("### Changes");
    expect(markdown).toContain(
      "- &#64;contractors: public.a\\_b: \\[link\\](http://x) \\*bold\\* → clear\n",
    );
  });
});
