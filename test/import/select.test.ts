/** `--only KIND` and `--key PATTERN`: taking part of a tenant, from either source. */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { cli } from "../cli/harness";
import { SEED_DIR } from "../payload/fixtures";
import {
  API_KEY,
  DATABRICKS_TOKEN,
  documentedExamples,
  tempDir,
  tenant,
  type Tenant,
} from "./support";

function written(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(at, entry.name));
      else out.push(relative(dir, join(at, entry.name)));
    }
  };
  walk(dir);
  return out.sort();
}

describe("immuta-v2 import --only and --key", () => {
  let from: Tenant;
  beforeAll(async () => {
    from = await tenant(documentedExamples());
  });
  afterAll(() => from?.close());

  const source = (name: string) => (name === "a tenant" ? from.server.url : SEED_DIR);

  const importing = (source: string, ...flags: string[]) => {
    const out = tempDir();
    return cli(["import", "--from", source, "--out", out, ...flags], {
      onlyEnv: { IMMUTA_API_KEY: API_KEY },
      secrets: [DATABRICKS_TOKEN],
    }).then((result) => ({ ...result, files: written(out) }));
  };

  it.each(["a tenant", "a folder"])(
    "--only takes the kinds named, repeated or comma-separated, from %s",
    async (name) => {
      const purposes = await importing(source(name), "--only", "purpose");
      expect(purposes).toMatchObject({
        code: 0,
        files: ["purposes/purpose-hierarchy.yaml", "purposes/research.yaml"],
      });
      const two = await importing(source(name), "--only", "data,project", "--only", "purpose");
      expect(two.files.map((f) => f.split("/")[0])).toEqual([
        "data-sources",
        "projects",
        "projects",
        "projects",
        "purposes",
        "purposes",
      ]);
    },
  );

  it.each(["a tenant", "a folder"])(
    "--key takes the keys matching a pattern (* any characters, ? one) from %s",
    async (name) => {
      const result = await importing(source(name), "--key", "*subscri?e", "--key", "Research");
      expect(result).toMatchObject({
        code: 0,
        files: [
          "policies/anyone-can-subscribe.yaml",
          "policies/approval-to-subscribe.yaml",
          "purposes/research.yaml",
        ],
      });
      // A pattern is the whole key, and its other characters are literal.
      expect((await importing(source(name), "--key", "Research.*")).files).toEqual([]);
      expect(
        (await importing(source(name), "--only", "policy", "--key", "Research")).files,
      ).toEqual([]);
    },
  );

  it("refuses a kind it does not know, with the ones it does", async () => {
    const result = await importing(SEED_DIR, "--only", "policies");
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'immuta-v2: --only must be one of data, policy, project, purpose (got "policies")\n',
    );
  });
});
