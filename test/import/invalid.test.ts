/** Objects that fail validation are written anyway, each problem a comment, and import exits 1. */
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { cli } from "../cli/harness";
import { tempDir } from "./support";

function source(): string {
  const dir = tempDir("immuta-import-source-");
  writeFileSync(
    join(dir, "objects.yaml"),
    [
      "policyKey: k",
      "type: subscription",
      "actions: { type: sometimes }",
      "colour: red",
      "---",
      "name: Bad",
      "subpurposes: [{ nam: Bad.x }]",
      "---",
      "projectKey: uses-bad",
      "name: Uses bad",
      "purposes: [Bad]",
    ].join("\n"),
  );
  return dir;
}

describe("importing objects that fail validation", () => {
  it("writes each file with its problems beside their fields and in its header, and exits 1", async () => {
    const out = tempDir();
    const result = await cli(["import", "--from", source(), "--out", out]);
    expect(result.code).toBe(1);
    const [hint, ...lines] = readFileSync(join(out, "policies", "k.yaml"), "utf8").split("\n");
    expect(hint).toMatch(/^# yaml-language-server: \$schema=.*policy\.json$/);
    expect(lines).toEqual([
      '# Global policy "k", imported by immuta-v2 import.',
      "# 3 problems: Immuta would refuse this payload as it is (immuta-v2 validate lists the same):",
      '#   actions.type: must be one of "anyone", "approval", "entitlements", "manual" (got "sometimes")',
      "#   colour: unknown field (allowed here: policyKey, name, type, actions, circumstances, circumstanceOperator, staged, certification, ownerRestrictions)",
      "#   name: required",
      "policyKey: k",
      "type: subscription",
      "actions:",
      '  type: sometimes # problem: must be one of "anyone", "approval", "entitlements", "manual" (got "sometimes")',
      "colour: red # problem: unknown field (allowed here: policyKey, name, type, actions, circumstances, circumstanceOperator, staged, certification, ownerRestrictions)",
      "",
    ]);
    expect(readFileSync(join(out, "purposes", "bad.yaml"), "utf8")).toContain(
      [
        "subpurposes:",
        '  - nam: Bad.x # problem: unknown field; did you mean "name"? (allowed here: name, description, acknowledgement, subpurposes)',
      ].join("\n"),
    );
    expect(result.stdout).toContain(
      `error  ${relative(process.cwd(), join(out, "policies", "k.yaml"))}  global policy "k"\n` +
        '         actions.type: must be one of "anyone", "approval", "entitlements", "manual" (got "sometimes")\n',
    );
    expect(result.stdout).toMatch(/: 3 files written; 2 with problems\n/);
  });

  it("in TypeScript, names the problems above the construct and refers to no invalid object", async () => {
    const out = tempDir();
    const result = await cli(["import", "--from", ".", "--out", out, "--format", "ts"], {
      cwd: source(),
    });
    expect(result.code).toBe(1);
    const module = readFileSync(join(out, "governance.ts"), "utf8");
    expect(module).toContain(
      [
        "  // 2 problems: Immuta would refuse this purpose as it is:",
        '  //   subpurposes[0].nam: unknown field; did you mean "name"? (allowed here: name, description, acknowledgement, subpurposes)',
        "  //   subpurposes[0].name: required",
        '  new Purpose(scope, "purpose:Bad", {',
      ].join("\n"),
    );
    // A construct with problems fails at synth: a project must not depend on it through a variable.
    expect(module).toContain('    purposes: ["Bad"],');
    expect(result.stdout).toContain('error  objects.yaml:6  purpose "Bad"\n');
  });
});
