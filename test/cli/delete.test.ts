/** `immuta-v2 delete`: one object by its key; an absent one counts as deleted. */
import { KINDS } from "../../src/payload/kinds";
import { KEYS, PAYLOADS, testServer } from "../client/fixtures";
import { cli, workdir } from "./harness";

async function seeded() {
  const server = await testServer();
  const env = { IMMUTA_URL: server.url };
  const cwd = workdir({
    "purpose.json": PAYLOADS.purpose,
    "data.json": PAYLOADS.data,
    "policy.json": PAYLOADS.policy,
    "project.json": PAYLOADS.project,
  });
  for (const kind of ["purpose", "data", "policy", "project"]) {
    expect(
      (await cli(["apply", "--kind", kind, "--file", `${kind}.json`], { env, cwd })).code,
    ).toBe(0);
  }
  return { server, env };
}

describe("immuta-v2 delete", () => {
  it.each(KINDS.map((kind) => [kind]))("deletes a %s, and says so", async (kind) => {
    const { server, env } = await seeded();
    if (kind !== "project")
      await cli(["delete", "--kind", "project", "--key", KEYS.project], { env });
    const result = await cli(["delete", "--kind", kind, "--key", KEYS[kind]], { env });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(new RegExp(`"${KEYS[kind]}": deleted\\n$`));
    expect(server.requests().at(-1)).toMatchObject({
      method: "DELETE",
      path: `/api/v2/${kind}/${encodeURIComponent(KEYS[kind])}`,
      status: 200,
    });
  });

  it("counts a 404 as already deleted, exit 0", async () => {
    const server = await testServer();
    const result = await cli(["delete", "--kind", "policy", "--key", "gone"], {
      env: { IMMUTA_URL: server.url },
    });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(
      /^global policy "gone": already deleted \(the server answered 404: .+\)\n$/,
    );
  });

  it("deletes nothing on --dry-run", async () => {
    const { server, env } = await seeded();
    const result = await cli(["delete", "--kind", "project", "--key", KEYS.project, "--dry-run"], {
      env,
    });
    expect(result.stdout).toBe('dry run: project "fraud analysis": would be deleted\n');
    expect(server.requests().at(-1)?.query).toEqual({ dryRun: "true" });
    expect(
      JSON.parse((await cli(["list", "--kind", "project", "--json"], { env })).stdout),
    ).toEqual([KEYS.project]);
  });

  it("exits 1 with the server's message when the object is still in use", async () => {
    const { env } = await seeded();
    const result = await cli(["delete", "--kind", "purpose", "--key", KEYS.purpose], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^immuta-v2: purpose "Clinical Research": DELETE \/api\/v2\/purpose\/Clinical%20Research failed with 409 Conflict: .*fraud analysis/,
    );
  });

  it("prints the server's answer with --json", async () => {
    const { env } = await seeded();
    const result = await cli(["delete", "--kind", "project", "--key", KEYS.project, "--json"], {
      env,
    });
    expect(JSON.parse(result.stdout)).toEqual({ dryRun: false, deleted: KEYS.project });
    const absent = await cli(["delete", "--kind", "project", "--key", KEYS.project, "--json"], {
      env,
    });
    expect(JSON.parse(absent.stdout)).toEqual({
      dryRun: false,
      deleted: null,
      notFound: KEYS.project,
    });
  });

  it("requires --kind and --key (exit 2)", async () => {
    const noKey = await cli(["delete", "--kind", "purpose"], { env: { IMMUTA_URL: "http://x" } });
    expect(noKey).toEqual({ code: 2, stdout: "", stderr: "immuta-v2: --key is required\n" });
    const noKind = await cli(["delete", "--key", "x"], { env: { IMMUTA_URL: "http://x" } });
    expect(noKind.stderr).toBe(
      "immuta-v2: --kind is required (one of data, policy, project, purpose)\n",
    );
    const badKind = await cli(["delete", "--kind", "table", "--key", "x"]);
    expect(badKind).toMatchObject({ code: 2 });
    expect(badKind.stderr).toBe(
      'immuta-v2: --kind must be one of data, policy, project, purpose (got "table")\n',
    );
  });
});
