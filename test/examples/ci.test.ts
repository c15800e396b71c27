/** examples/ci/plan-comment.sh, the pull-request review's steps, run as a user would locally. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { startServer } from "../../src/server";
import { REPO, run, terraformBinary, terraformEnv } from "../e2e/terraform";

jest.setTimeout(180_000);

describe("examples/ci/plan-comment.sh", () => {
  it("synthesizes, plans (with the engine TERRAFORM_BINARY_NAME names), and writes the review comment of what Immuta would do", async () => {
    const server = await startServer({ apiKeys: [{ key: "ci-key" }] });
    const work = mkdtempSync(join(tmpdir(), "ci-example-"));
    try {
      // An engine of another name, which says what it was asked to do and hands on to Terraform.
      const engine = join(work, "engine");
      writeFileSync(
        engine,
        `#!/bin/sh\necho "$2" >> ${JSON.stringify(join(work, "engine.log"))}\n` +
          `exec ${JSON.stringify(terraformBinary({}))} "$@"\n`,
        { mode: 0o755 },
      );
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
            TERRAFORM_BINARY_NAME: engine,
            IMMUTA_V2: `node ${join(REPO, "bin", "immuta-v2.js")}`,
            PERSONAS: "../policy-tests/personas.yaml",
            CATALOG: "../policy-tests/catalog.yaml",
          },
        },
      );
      expect(result.code).toBe(2);
      // (cdktf synth asks the same engine its version.)
      const asked = readFileSync(join(work, "engine.log"), "utf8").split("\n");
      expect(asked.filter((a) => !/^(-json)?$/.test(a))).toEqual(["init", "plan", "show"]);
      const comment = readFileSync(join(work, "comment.md"), "utf8");
      expect(
        comment.startsWith("<!-- cdktf-immuta-review -->\n## Immuta plan for `quickstart`"),
      ).toBe(true);
      expect(comment).toContain("**5 to create, 1 not checked**");
      expect(comment).toContain(
        'project "fraud-analysis": not checked: it names what this plan creates (purpose Research.Fraud, data source public.orders, data source public.payments)',
      );
      // Every persona of the access tests, first: on a first deploy, what each will reach.
      const personas = comment.indexOf("### 👥 Access changes by persona");
      expect(personas).toBeGreaterThan(0);
      expect(comment.indexOf("### Changes")).toBeGreaterThan(personas);
      expect(comment).toContain(
        "- analyst: public.customers: new data source, subscribed automatically; " +
          "clear: id, name, country, created\\_at; masked (Hash): email\n",
      );
      expect(comment).toContain("- fraud investigator: project fraud-analysis: new\n");
      expect(result.stdout).toBe(comment);
      expect(comment).not.toContain("ci-password");
      expect(server.requests().every((r) => r.query.dryRun === "true")).toBe(true);
    } finally {
      await server.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe("examples/ci/immuta-deploy.yml", () => {
  it("heals what an interrupted deploy left (drift --fix) before every deploy, one deploy at a time", () => {
    const workflow = parse(
      readFileSync(join(REPO, "examples", "ci", "immuta-deploy.yml"), "utf8"),
    ) as {
      concurrency: { "cancel-in-progress": boolean };
      jobs: { deploy: { steps: { run?: string }[] } };
    };
    const runs = workflow.jobs.deploy.steps.map((s) => s.run ?? "");
    const fix = runs.findIndex((r) => /immuta-v2 drift --stack-dir \S+ --fix/.test(r));
    const deploy = runs.findIndex((r) => /cdktf deploy/.test(r));
    expect(fix).toBeGreaterThan(0);
    expect(deploy).toBeGreaterThan(fix);
    expect(workflow.concurrency["cancel-in-progress"]).toBe(false);
  });
});
