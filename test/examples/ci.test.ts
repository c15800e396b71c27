/** examples/ci/plan-comment.sh, the pull-request review's steps, run as a user would locally. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../src/server";
import { REPO, run, terraformEnv } from "../e2e/terraform";

jest.setTimeout(180_000);

describe("examples/ci/plan-comment.sh", () => {
  it("synthesizes, plans, and writes the review comment of what Immuta would do", async () => {
    const server = await startServer({ apiKeys: [{ key: "ci-key" }] });
    const work = mkdtempSync(join(tmpdir(), "ci-example-"));
    try {
      const result = await run(
        "bash",
        [join(REPO, "examples", "ci", "plan-comment.sh"), "quickstart", join(work, "comment.md")],
        {
          cwd: join(REPO, "examples", "quickstart"),
          env: {
            ...terraformEnv({
              IMMUTA_URL: server.url,
              IMMUTA_API_KEY: "ci-key",
              DWH_PASSWORD: "ci-password",
            }),
            CDKTF_OUTDIR: join(work, "cdktf.out"),
            IMMUTA_V2: `node ${join(REPO, "bin", "immuta-v2.js")}`,
          },
        },
      );
      expect(result.code).toBe(2);
      const comment = readFileSync(join(work, "comment.md"), "utf8");
      expect(
        comment.startsWith("<!-- cdktf-immuta-review -->\n## Immuta plan for `quickstart`"),
      ).toBe(true);
      expect(comment).toContain("**5 to create, 1 not checked**");
      expect(comment).toContain(
        'project "fraud-analysis": not checked: it names what this plan creates (purpose Research.Fraud, data source public.orders, data source public.payments)',
      );
      expect(result.stdout).toBe(comment);
      expect(comment).not.toContain("ci-password");
      expect(server.requests().every((r) => r.query.dryRun === "true")).toBe(true);
    } finally {
      await server.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
