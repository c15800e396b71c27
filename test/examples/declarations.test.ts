/**
 * The package's type declarations (lib/**\/*.d.ts, what an app's `tsc` reads) name no optional
 * peer dependency that only one carrier needs: an app without it must type-check even with
 * `skipLibCheck: false`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../e2e/terraform";

function declarations(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarations(path);
    return entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

test("no declaration imports @cdktf/provider-null (the null_resource carrier's optional peer)", () => {
  const files = declarations(join(REPO, "lib"));
  expect(files.length).toBeGreaterThan(20);
  const naming = files.filter((f) => readFileSync(f, "utf8").includes("@cdktf/provider-null"));
  expect(naming.map((f) => f.slice(REPO.length + 1))).toEqual([]);
});
