/** What a review says when Terraform cannot give it the state: Terraform's error, in one line. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pullState, readState, terraformError } from "../../src/cli/terraform";

// What Terraform 1.11 prints for `state pull` in a stack directory never initialised.
const UNINITIALISED = [
  "There are some problems with the CLI configuration:",
  "╷",
  "│ Warning: Unable to open CLI configuration file",
  "╵",
  "",
  "\x1b[31m╷\x1b[0m\x1b[0m",
  '\x1b[31m│\x1b[0m \x1b[0m\x1b[1m\x1b[31mError: \x1b[0m\x1b[0m\x1b[1mBackend initialization required, please run "terraform init"\x1b[0m',
  "\x1b[31m│\x1b[0m \x1b[0m",
  '\x1b[31m│\x1b[0m \x1b[0mReason: Initial configuration of the requested backend "local"',
  "\x1b[31m╵\x1b[0m\x1b[0m",
].join("\n");

test("keeps the first Error: line, without colours, boxes or warnings", () => {
  expect(terraformError(UNINITIALISED)).toBe(
    'Error: Backend initialization required, please run "terraform init"',
  );
  expect(terraformError("spawn tofu ENOENT\n")).toBe("spawn tofu ENOENT");
});

test("a failed state pull names the command, the directory and Terraform's error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "terraform-errors-"));
  try {
    writeFileSync(join(dir, "stderr"), UNINITIALISED);
    const engine = join(dir, "engine");
    writeFileSync(engine, `#!/bin/sh\ncat ${JSON.stringify(join(dir, "stderr"))} >&2\nexit 1\n`, {
      mode: 0o755,
    });
    await expect(pullState(dir, { ...process.env, TERRAFORM_BINARY_NAME: engine })).rejects.toThrow(
      `cannot read the stack's state (${engine} state pull in ${dir} failed: ` +
        'Error: Backend initialization required, please run "terraform init")',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("readState reads a local backend's file itself, with no Terraform process", async () => {
  const dir = mkdtempSync(join(tmpdir(), "read-state-"));
  try {
    writeFileSync(
      join(dir, "cdk.tf.json"),
      JSON.stringify({ terraform: { backend: { local: { path: "s.tfstate" } } } }),
    );
    const state = { version: 4, resources: [], outputs: { immuta_manifest: { value: "x" } } };
    writeFileSync(join(dir, "s.tfstate"), JSON.stringify(state));
    // An engine that cannot run: the read must not need it.
    const env = { ...process.env, TERRAFORM_BINARY_NAME: join(dir, "no-such-engine") };
    expect((await readState(dir, env)).outputs).toEqual({ immuta_manifest: "x" });
    await expect(pullState(dir, env)).rejects.toThrow(/no-such-engine state pull/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
