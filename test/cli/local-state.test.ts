import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { truncatedState } from "../../src/cli/local-state";

/** A stack directory with a local backend, a state file and its backup. */
function stackDir(state: string, backup: object): string {
  const dir = mkdtempSync(join(tmpdir(), "local-state-"));
  writeFileSync(
    join(dir, "cdk.tf.json"),
    JSON.stringify({ terraform: { backend: { local: { path: "s.tfstate" } } } }),
  );
  writeFileSync(join(dir, "s.tfstate"), state);
  writeFileSync(join(dir, "s.tfstate.backup"), JSON.stringify(backup));
  return dir;
}

const backup = { lineage: "a", resources: [{ name: "guard" }] };
const quick = { times: 3, apartMs: 40 };
let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe("truncatedState", () => {
  it("believes a state file that stays empty is lost, and names its backup", async () => {
    const dir = stackDir("", backup);
    dirs.push(dir);
    expect(await truncatedState(dir, quick)).toEqual({
      state: join(dir, "s.tfstate"),
      backup: join(dir, "s.tfstate.backup"),
    });
  });

  it("does not take Terraform's rewrite in progress (empty for an instant) for a loss", async () => {
    const dir = stackDir("", backup);
    dirs.push(dir);
    // Terraform finishes writing the file between two reads.
    setTimeout(() => writeFileSync(join(dir, "s.tfstate"), JSON.stringify(backup)), 20);
    expect(await truncatedState(dir, quick)).toBeUndefined();
  });

  it("takes a state begun anew with fewer resources for a loss", async () => {
    const dir = stackDir(JSON.stringify({ lineage: "b", resources: [] }), backup);
    dirs.push(dir);
    expect(await truncatedState(dir, quick)).toBeDefined();
  });
});
