/**
 * The README's review snippet ("Reviewing changes"), run as written, line by line, in a copy of
 * the quickstart inside this repository (where `npx cdktf` and `npx immuta-v2` resolve, as in a
 * user's project), against the embedded server.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startServer, type RunningServer } from "../../src/server";
import { REPO, run, terraformEnv } from "../e2e/terraform";

jest.setTimeout(180_000);

/** The lines of the first `sh` block under a README heading, comments and blank lines left out. */
function snippet(heading: string): string[] {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const section = readme.split(/^## /m).find((s) => s.startsWith(heading));
  if (!section) throw new Error(`README.md has no section "## ${heading}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error(`README.md "## ${heading}" has no sh block`);
  return block
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

describe("README.md", () => {
  let server: RunningServer;
  let app: string;
  beforeAll(async () => {
    server = await startServer({ apiKeys: [{ key: "readme-key" }] });
    // Inside the repository (ignored by Git), so that its node_modules and tsconfig apply.
    app = mkdtempSync(join(REPO, "examples", ".readme-test-"));
    cpSync(join(REPO, "examples", "quickstart"), app, {
      recursive: true,
      filter: (source) => !/cdktf\.out|\.tfstate/.test(source),
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(app, { recursive: true, force: true });
  });

  it("the review snippet runs as written: synth, init, plan, show, then the review and drift", async () => {
    const lines = snippet("Reviewing changes");
    expect(lines[0]).toBe("npx cdktf synth");
    const env = terraformEnv({
      IMMUTA_URL: server.url,
      IMMUTA_API_KEY: "readme-key",
      DWH_PASSWORD: "readme-password",
      NO_COLOR: "1",
    });
    const codes: Record<string, number> = {};
    let review = "";
    for (const line of lines) {
      const result = await run("bash", ["-c", line], { cwd: app, env });
      codes[line] = result.code;
      if (/immuta-v2 plan/.test(line)) review = result.stdout;
      else if (result.code !== 0)
        throw new Error(`\`${line}\` exited ${result.code}:\n${result.output}`);
    }
    // The review exits like terraform plan -detailed-exitcode: 2, there are changes.
    expect(Object.values(codes)).toEqual([...lines.map(() => 0).slice(0, -2), 2, 0]);
    expect(review).toMatch(/## Immuta plan for `quickstart`/);
    expect(review).toMatch(/\*\*5 to create, 1 not checked\*\*/);
    // Dry runs only: nothing was written.
    expect(server.requests().every((r) => r.method === "GET" || r.query.dryRun === "true")).toBe(
      true,
    );
  });
});
