import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunningServer } from "../../src/server";
import { API_KEY, testServer } from "../client/fixtures";
import { cli, workdir } from "./harness";

/**
 * A stand-in for `terraform output -json NAME`: prints the given text and exits with the code,
 * and records its arguments, so the prune can be tested without a Terraform state.
 */
function fakeTerraform(stdout: string, code = 0, stderr = ""): { dir: string; binary: string } {
  const dir = workdir({});
  const binary = join(dir, "fake-terraform");
  writeFileSync(
    binary,
    `#!/bin/sh\necho "$@" > "${dir}/args"\ncat <<'OUT'\n${stdout}\nOUT\necho '${stderr}' >&2\nexit ${code}\n`,
  );
  chmodSync(binary, 0o755);
  return { dir, binary };
}

async function seed(server: RunningServer) {
  const post = (kind: string, body: object) =>
    fetch(`${server.url}/api/v2/${kind}`, {
      method: "POST",
      headers: { authorization: API_KEY, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  await post("purpose", { name: "Research" });
  await post("purpose", { name: "Old" });
  await post("project", { projectKey: "p", name: "P", purposes: ["Old"] });
  await post("policy", {
    policyKey: "k/with slash",
    name: "K",
    type: "subscription",
    actions: { type: "anyone" },
  });
}

describe("immuta-v2 prune", () => {
  let server: RunningServer;
  beforeEach(async () => {
    server = await testServer();
  });
  afterEach(() => server.close());

  const env = (binary: string, manifest: string[]) => ({
    IMMUTA_URL: server.url,
    TERRAFORM_BINARY_NAME: binary,
    IMMUTA_MANIFEST_0: JSON.stringify(manifest).slice(0, 10),
    IMMUTA_MANIFEST_1: JSON.stringify(manifest).slice(10),
  });

  it("deletes what the previous deploy managed and this one does not, projects first", async () => {
    await seed(server);
    const previous = ["policy/k/with slash", "project/p", "purpose/Old", "purpose/Research"];
    const { dir, binary } = fakeTerraform(JSON.stringify(previous));
    const before = server.requests().length;
    const result = await cli(
      ["prune", "--manifest-env", "IMMUTA_MANIFEST", "--output", "immuta_manifest"],
      { env: env(binary, ["purpose/Research"]), cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'project "p": deleted (no longer in the stack)\n' +
        'global policy "k/with slash": deleted (no longer in the stack)\n' +
        'purpose "Old": deleted (no longer in the stack)\n',
    );
    expect(
      server
        .requests()
        .slice(before)
        .map((r) => `${r.method} ${r.kind} ${r.key} ${r.status}`),
    ).toEqual(["DELETE project p 200", "DELETE policy k/with slash 200", "DELETE purpose Old 200"]);
    expect(readFileSync(join(dir, "args"), "utf8").trim()).toBe(
      "output -no-color -json immuta_manifest",
    );
  });

  it("deletes nothing on a first deploy (no such output yet), and says so", async () => {
    const { dir, binary } = fakeTerraform("", 1, 'Error: Output "immuta_manifest" not found');
    const result = await cli(
      ["prune", "--manifest-env", "IMMUTA_MANIFEST", "--output", "immuta_manifest"],
      { env: env(binary, ["purpose/Research"]), cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      "prune: first deploy of this stack: nothing to delete (1 objects managed)\n",
    );
    expect(server.requests()).toEqual([]);
  });

  it("counts an object already gone as deleted", async () => {
    const { dir, binary } = fakeTerraform(JSON.stringify(["purpose/Gone"]));
    const result = await cli(
      ["prune", "--manifest-env", "IMMUTA_MANIFEST", "--output", "o", "--json"],
      { env: env(binary, []), cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      dryRun: false,
      previous: ["purpose/Gone"],
      current: [],
      deleted: [{ kind: "purpose", key: "Gone" }],
    });
  });

  it("fails, deleting nothing, when the previous list cannot be read", async () => {
    const { dir, binary } = fakeTerraform("", 1, "Error: Backend initialization required");
    const result = await cli(
      ["prune", "--manifest-env", "IMMUTA_MANIFEST", "--output", "immuta_manifest"],
      { env: env(binary, []), cwd: dir },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot read the previous deploy's list of objects");
    expect(result.stderr).toContain("Backend initialization required");
    expect(server.requests()).toEqual([]);
  });

  it("fails naming the object when Immuta refuses a deletion (409: still in use)", async () => {
    await seed(server);
    const { dir, binary } = fakeTerraform(JSON.stringify(["purpose/Old", "project/p"]));
    const result = await cli(["prune", "--manifest-env", "IMMUTA_MANIFEST", "--output", "o"], {
      env: env(binary, ["project/p"]),
      cwd: dir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/purpose "Old"/);
    expect(result.stderr).toMatch(/409/);
  });

  it("is a usage error without its flags, or with a malformed manifest", async () => {
    expect((await cli(["prune", "--output", "o"], { env: { IMMUTA_URL: server.url } })).code).toBe(
      2,
    );
    const bad = await cli(["prune", "--manifest-env", "M", "--output", "o"], {
      env: { IMMUTA_URL: server.url, M: '["nokind"]' },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('manifest entry "nokind" is not "kind/key"');
  });
});
