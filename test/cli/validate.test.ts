import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../src/cli/run";
import { captureIo } from "../helpers/capture-io";
import { SEED_DIR } from "../payload/fixtures";

const workspaces: string[] = [];
afterAll(() => {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "validate-"));
  workspaces.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("immuta-v2 validate", () => {
  it("accepts the documented examples and exits 0", async () => {
    const out = captureIo();
    expect(await run(["validate", SEED_DIR], out.io)).toBe(0);
    expect(out.stdout()).toMatch(/^\d+ payloads valid$/m);
    expect(out.stdout()).toContain('global policy "data mask constant"');
  });

  it("lists every problem with file, line and field path, searching directories recursively", async () => {
    const cwd = workspace({
      "governance/purposes.yaml": "name: Research\n---\nname: Marketing\nacknowledgment: typo\n",
      "governance/nested/policy.json":
        '{"policyKey": "p", "name": "P", "type": "data", "actions": []}',
      "governance/notes.md": "not a payload",
    });
    const out = captureIo({ cwd });
    expect(await run(["validate", "governance"], out.io)).toBe(1);
    expect(out.stdout()).toBe(
      [
        'error  governance/nested/policy.json:1 global policy "p"',
        "         actions: must list at least 1 item",
        'ok     governance/purposes.yaml:1 purpose "Research"',
        'error  governance/purposes.yaml:3 purpose "Marketing"',
        '         acknowledgment: unknown field; did you mean "acknowledgement"? (allowed here: name, description, acknowledgement, kAnonNoiseReduction, subpurposes)',
        "2 of 3 payloads with problems",
        "",
      ].join("\n"),
    );
  });

  it("goes on past a document whose kind it cannot tell, reporting the file's other problems", async () => {
    const cwd = workspace({
      "mixed.yaml": "policyKey: p\nname: P\ntype: data\nactions: []\n---\ndescription: orphan\n",
    });
    const out = captureIo({ cwd });
    expect(await run(["validate", "mixed.yaml"], out.io)).toBe(1);
    expect(out.stdout()).toBe(
      [
        'error  mixed.yaml:1 global policy "p"',
        "         actions: must list at least 1 item",
        "error  mixed.yaml:6: cannot tell the kind of this payload: it needs connectionKey (data source), policyKey (policy), projectKey (project) or name (purpose)",
        "2 of 2 payloads with problems",
        "",
      ].join("\n"),
    );
  });

  it("reports syntax errors with their position, and missing files", async () => {
    const cwd = workspace({ "bad.yaml": "name: [x\n" });
    const out = captureIo({ cwd });
    expect(await run(["validate", "bad.yaml", "missing.yaml"], out.io)).toBe(1);
    expect(out.stdout()).toMatch(/^error {2}bad\.yaml:\d+:\d+: /m);
    // The path it could not find, named.
    expect(out.stdout()).toContain("error  missing.yaml: no such file or directory");
  });

  it("fails a directory with no payload file in it, rather than calling nothing valid", async () => {
    const cwd = workspace({ "notes.txt": "not a payload" });
    const out = captureIo({ cwd });
    expect(await run(["validate", "."], out.io)).toBe(1);
    expect(out.stdout()).toContain("error  .: no payload file here (.json, .yaml, .yml)");
    expect(out.stdout()).not.toContain("0 payloads valid");
  });

  it("prints JSON for machines", async () => {
    const cwd = workspace({ "p.yaml": "name: 1\n" });
    const out = captureIo({ cwd });
    expect(await run(["validate", "--json", "p.yaml"], out.io)).toBe(1);
    expect(JSON.parse(out.stdout())).toEqual([
      {
        file: "p.yaml",
        line: 1,
        kind: "purpose",
        problems: [{ path: "name", message: "must be a string (got number 1)" }],
      },
    ]);
  });

  it("is a usage error without files, or with an unknown flag", async () => {
    const none = captureIo();
    expect(await run(["validate"], none.io)).toBe(2);
    expect(none.stderr()).toContain("name at least one file or directory");
    const unknown = captureIo();
    expect(await run(["validate", "--jsn", "x"], unknown.io)).toBe(2);
    expect(unknown.stderr()).toContain("Unknown option '--jsn'");
  });
});

describe("immuta-v2", () => {
  it("prints help with the exit codes, and its version", async () => {
    const help = captureIo();
    expect(await run(["--help"], help.io)).toBe(0);
    expect(help.stdout()).toContain("Exit codes:");
    const version = captureIo();
    expect(await run(["--version"], version.io)).toBe(0);
    expect(version.stdout()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("rejects an unknown command with exit code 2", async () => {
    const out = captureIo();
    expect(await run(["aply"], out.io)).toBe(2);
    expect(out.stderr()).toContain('unknown command "aply"');
  });

  it("prints each command's help", async () => {
    const out = captureIo();
    expect(await run(["validate", "--help"], out.io)).toBe(0);
    expect(out.stdout()).toContain("Usage: immuta-v2 validate");
  });
});
