/**
 * A PayloadDirectory's problems, as a person editing the files meets them: every problem of every
 * file at once (as `immuta-v2 validate` lists them), located by file and line, without a stack
 * trace; and no silent "delete everything" when the directory is empty or gone.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { ImmutaProvider, PayloadDirectory } from "../../src";
import { PayloadFileError } from "../../src/errors";
import { tempOutdir } from "../helpers/synth";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function directory(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "payload-dir-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function build(path: string, allowEmpty?: boolean): PayloadDirectory {
  const stack = new TerraformStack(Testing.app({ outdir: tempOutdir() }), "governance");
  new ImmutaProvider(stack, "immuta");
  return new PayloadDirectory(stack, "governance", { path, allowEmpty });
}

function problemsOf(path: string): PayloadFileError {
  try {
    build(path);
  } catch (error) {
    if (error instanceof PayloadFileError) return error;
    throw error;
  }
  throw new Error("no error");
}

describe("PayloadDirectory problems", () => {
  it("lists every problem of every file at once, by file and line, without a stack trace", () => {
    const dir = directory({
      "a-broken.yaml": "name: Research\ndescription: [unclosed\n",
      "b-typo.yaml": "name: Marketing\ndescriptoin: Campaigns\n",
      "c-policy.yaml":
        "policyKey: p\nname: P\ntype: subscription\nactions: { type: anyone }\n---\nname: Marketing\n",
    });
    const error = problemsOf(dir);
    expect(error.message).toMatch(/^governance\/governance: 3 problems in /);
    expect(error.message).toContain(`${join(dir, "a-broken.yaml")}:3:1: Flow sequence`);
    expect(error.message).toContain(`${join(dir, "b-typo.yaml")}:1 (purpose "Marketing"):`);
    expect(error.message).toMatch(/descriptoin: unknown field; did you mean "description"\?/);
    expect(error.message).toContain(
      `purpose "Marketing" is defined twice: at ${join(dir, "b-typo.yaml")}:1 and at ${join(dir, "c-policy.yaml")}:6`,
    );
    // What Node prints for an uncaught error: the message, no lines of our code.
    expect(error.stack).not.toMatch(/\n\s+at /);
  });

  it.each([
    ["an empty directory", () => directory({})],
    ["a missing one", () => join(tmpdir(), "no-such-governance-dir")],
  ])("refuses %s, which would delete everything the stack manages", (_, path) => {
    expect(problemsOf(path()).message).toMatch(
      /would delete every object it manages.*allowEmpty: true/s,
    );
  });

  it.each([
    ["an empty directory", () => directory({})],
    ["a missing one", () => join(tmpdir(), "no-such-governance-dir")],
  ])("accepts %s with allowEmpty: true", (_, path) => {
    expect(build(path(), true).objects).toEqual([]);
  });
});
