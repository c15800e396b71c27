/**
 * Issue 16.5: everything that runs Terraform runs the binary TERRAFORM_BINARY_NAME names (cdktf's
 * own convention, e.g. `tofu` for OpenTofu). A wrapper named `tofu` records each call and runs the
 * real terraform; the PATH holds the wrapper and node, and no `terraform`, so a call that ignored
 * the variable would fail the deploy, the review or the drift check.
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { Purpose, GlobalPolicy } from "../../../src";
import { MASK_PII } from "../../payload/fixtures";
import { GovernanceStack } from "../harness";
import { run } from "../terraform";

jest.setTimeout(180_000);

describe("TERRAFORM_BINARY_NAME", () => {
  let work: string;
  let stack: GovernanceStack;
  beforeEach(async () => {
    work = mkdtempSync(join(tmpdir(), "immuta-engine-"));
    stack = await GovernanceStack.start();
  });
  afterEach(async () => {
    await stack.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** A `tofu` that logs its arguments (one line per call) and runs terraform. */
  async function wrapper(): Promise<{ path: string; calls: () => string[] }> {
    const real = (
      await run("/bin/sh", ["-c", "command -v terraform"], { cwd: work, env: process.env })
    ).stdout.trim();
    expect(real).not.toBe("");
    const bin = join(work, "engine-bin");
    const log = join(work, "tofu-calls.log");
    mkdirSync(bin);
    writeFileSync(
      join(bin, "tofu"),
      `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`,
    );
    chmodSync(join(bin, "tofu"), 0o755);
    // node alone, not the directory it is in (which may hold terraform too).
    const nodeBin = join(work, "node-bin");
    mkdirSync(nodeBin);
    symlinkSync(process.execPath, join(nodeBin, "node"));
    writeFileSync(log, "");
    return {
      path: [bin, nodeBin].join(delimiter),
      calls: () =>
        readFileSync(log, "utf8")
          .split("\n")
          .filter((line) => line !== ""),
    };
  }

  it("runs every terraform of a deploy, its steps, plan and drift through the named binary", async () => {
    const tofu = await wrapper();
    stack.env = { PATH: tofu.path, TERRAFORM_BINARY_NAME: "tofu" };
    expect(
      (
        await run("/bin/sh", ["-c", "command -v terraform || echo none"], {
          cwd: work,
          env: stack.env,
        })
      ).stdout.trim(),
    ).toBe("none");

    stack.synth((s) => {
      new Purpose(s, "research", { name: "Research" });
      new GlobalPolicy(s, "mask", MASK_PII);
    });
    await stack.apply();
    // init, apply, and the guard's read of the state from inside the apply.
    const deploy = tofu.calls();
    expect(deploy[0]).toMatch(/ init /);
    expect(deploy[1]).toMatch(/ apply /);
    expect(deploy.slice(2)).toContain("state pull");

    // A change reviewed with immuta-v2 plan (no saved plan: it reads the state), then drift.
    stack.synth((s) => {
      new Purpose(s, "research", { name: "Research", description: "changed" });
      new GlobalPolicy(s, "mask", MASK_PII);
    });
    const before = tofu.calls().length;
    const review = await stack.cli("plan", "--stack-dir", ".");
    expect(review.stderr).toBe("");
    expect(review.stdout).toMatch(/purpose "Research"/);
    expect(tofu.calls().slice(before)).toEqual(["state pull"]);

    const drifted = tofu.calls().length;
    const drift = await stack.cli("drift", "--stack-dir", ".");
    expect(drift.stderr).toBe("");
    expect(drift.code).toBe(0);
    expect(tofu.calls().slice(drifted)).toEqual(["state pull"]);
  });
});
