/**
 * `immuta-v2 apply`, in-process against the embedded server: the line it prints per object, the
 * payload sources, the checks before sending, and the exit codes its --help documents.
 */
import { MockAgent } from "undici";
import { applyCommand } from "../../src/cli/commands/apply";
import { KINDS } from "../../src/payload/kinds";
import { API_KEY, KEYS, PAYLOADS, testServer } from "../client/fixtures";
import { cli, workdir } from "./harness";

/** Payload files of every kind, as a provisioner would find them. */
const files = () =>
  workdir({
    "purpose.json": PAYLOADS.purpose,
    "data.json": PAYLOADS.data,
    "policy.json": PAYLOADS.policy,
    "project.json": PAYLOADS.project,
  });

async function serverEnv(options = {}) {
  const server = await testServer(options);
  return { server, env: { IMMUTA_URL: server.url } };
}

describe("immuta-v2 apply", () => {
  it("applies each kind and prints one line saying what Immuta did", async () => {
    const { server, env } = await serverEnv();
    const cwd = files();
    const lines: string[] = [];
    for (const kind of ["purpose", "data", "policy", "project"] as const) {
      const result = await cli(["apply", "--kind", kind, "--file", `${kind}.json`], { env, cwd });
      expect(result).toMatchObject({ code: 0, stderr: "" });
      lines.push(result.stdout);
    }
    expect(lines).toEqual([
      'purpose "Clinical Research": created\n',
      'data source connection "dwh prod": created 2 (public.customers, public.orders)\n',
      'global policy "mask pii": created\n',
      'project "fraud analysis": created\n',
    ]);
    expect(server.requests()).toHaveLength(4);

    const again = await cli(["apply", "--kind", "data", "--file", "data.json"], { env, cwd });
    expect(again.stdout).toBe('data source connection "dwh prod": unchanged 2\n');
    const purpose = await cli(["apply", "--kind", "purpose", "--file", "purpose.json"], {
      env,
      cwd,
    });
    expect(purpose.stdout).toBe('purpose "Clinical Research": no change\n');
  });

  it("reports updates, and data sources disabled when a table leaves the payload", async () => {
    const { env } = await serverEnv();
    const cwd = files();
    await cli(["apply", "--kind", "data", "--file", "data.json"], { env, cwd });
    const fewer = workdir({
      "data.json": { ...PAYLOADS.data, sources: [{ table: "customers", schema: "public" }] },
    });
    const result = await cli(["apply", "--kind", "data", "--file", "data.json"], {
      env,
      cwd: fewer,
    });
    expect(result.stdout).toBe(
      'data source connection "dwh prod": disabled 1 (public.orders), unchanged 1\n',
    );
    const changed = workdir({
      "purpose.json": { ...PAYLOADS.purpose, description: "Changed" },
    });
    await cli(["apply", "--kind", "purpose", "--file", "purpose.json"], { env, cwd });
    const updated = await cli(["apply", "--kind", "purpose", "--file", "purpose.json"], {
      env,
      cwd: changed,
    });
    expect(updated.stdout).toBe('purpose "Clinical Research": updated\n');
  });

  it("asks without changing on --dry-run", async () => {
    const { server, env } = await serverEnv();
    const result = await cli(["apply", "--kind", "data", "--file", "data.json", "--dry-run"], {
      env,
      cwd: files(),
    });
    expect(result.stdout).toBe(
      'dry run: data source connection "dwh prod": would create 2 (public.customers, public.orders)\n',
    );
    expect(server.requests()[0].query).toEqual({ dryRun: "true" });
    const list = await cli(["list", "--kind", "data", "--json"], { env });
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it("prints the server's answer with --json", async () => {
    const { env } = await serverEnv();
    const result = await cli(["apply", "--kind", "purpose", "--file", "purpose.json", "--json"], {
      env,
      cwd: files(),
    });
    expect(JSON.parse(result.stdout)).toMatchObject({ dryRun: false, creating: true });
  });

  it("reads YAML files, and says when one holds more than one payload", async () => {
    const { env } = await serverEnv();
    const cwd = workdir({
      "purpose.yaml": "# a comment\nname: Clinical Research\ndescription: From YAML\n",
      "two.yml": "name: A\n---\nname: B\n",
    });
    const result = await cli(["apply", "--kind", "purpose", "--file", "purpose.yaml"], {
      env,
      cwd,
    });
    expect(result).toMatchObject({ code: 0, stdout: 'purpose "Clinical Research": created\n' });
    const two = await cli(["apply", "--kind", "purpose", "--file", "two.yml"], { env, cwd });
    expect(two.code).toBe(1);
    expect(two.stderr).toContain("two.yml: holds 2 payloads; apply sends exactly one");
  });

  it("reads the payload from an environment variable, whole or in chunks", async () => {
    const { server, env } = await serverEnv();
    const text = JSON.stringify(PAYLOADS.data);
    const whole = await cli(["apply", "--kind", "data", "--payload-env", "PAYLOAD"], {
      env: { ...env, PAYLOAD: text },
    });
    expect(whole.code).toBe(0);
    const thirds = Math.ceil(text.length / 3);
    const chunked = await cli(["apply", "--kind", "data", "--payload-env", "PAYLOAD"], {
      env: {
        ...env,
        PAYLOAD_0: text.slice(0, thirds),
        PAYLOAD_1: text.slice(thirds, 2 * thirds),
        PAYLOAD_2: text.slice(2 * thirds),
        // Not joined: the chunks stop at the first missing index.
        PAYLOAD_4: "garbage",
      },
    });
    expect(chunked).toMatchObject({
      code: 0,
      stdout: 'data source connection "dwh prod": unchanged 2\n',
    });
    expect(server.requests()).toHaveLength(2);
    const missing = await cli(["apply", "--kind", "data", "--payload-env", "NOPE"], { env });
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toBe(
      "immuta-v2: --payload-env NOPE: neither NOPE nor NOPE_0 is set in the environment\n",
    );
  });

  it("locates a JSON syntax error in the payload", async () => {
    const { env } = await serverEnv();
    const result = await cli(["apply", "--kind", "purpose", "--payload-env", "P"], {
      env: { ...env, P: '{\n  "name": "x",\n}' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'immuta-v2: $P:3:1: invalid JSON: expected a property name in double quotes, found "}"\n',
    );
  });

  it("refuses a key written twice, with its line and column, before sending", async () => {
    const { env, server } = await serverEnv();
    const result = await cli(["apply", "--kind", "purpose", "--file", "twice.json"], {
      env,
      cwd: workdir({ "twice.json": '{\n  "name": "A",\n  "name": "B"\n}' }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^immuta-v2: twice\.json:3:3: invalid JSON: .*"name"/);
    expect(server.requests()).toEqual([]);
  });

  it("fails before sending when --key is not the payload's key, or --kind not its kind", async () => {
    const { server, env } = await serverEnv();
    const cwd = files();
    const key = await cli(
      ["apply", "--kind", "policy", "--file", "policy.json", "--key", "other policy"],
      { env, cwd },
    );
    expect(key.code).toBe(1);
    expect(key.stderr).toBe(
      'immuta-v2: policy.json: policyKey is "mask pii" but --key says "other policy"; the payload is not for the object this command was written for\n',
    );
    const kind = await cli(["apply", "--kind", "purpose", "--file", "project.json"], { env, cwd });
    expect(kind.code).toBe(1);
    expect(kind.stderr).toContain(
      "project.json: this looks like a project payload (it has projectKey), not a purpose as --kind purpose says",
    );
    const keyless = await cli(["apply", "--kind", "data", "--file", "purpose.json"], { env, cwd });
    expect(keyless.stderr).toContain(
      "purpose.json: a data source connection payload needs connectionKey",
    );
    expect(server.requests()).toEqual([]);
    const matching = await cli(
      ["apply", "--kind", "policy", "--file", "policy.json", "--key", "mask pii"],
      { env, cwd },
    );
    expect(matching.code).toBe(0);
  });

  it("exits 1 with the server's message, one problem per line, when the server refuses", async () => {
    const { env } = await serverEnv();
    const cwd = workdir({ "bad.json": { name: "x", acknowledgment: "typo", colour: "red" } });
    const result = await cli(["apply", "--kind", "purpose", "--file", "bad.json"], { env, cwd });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^immuta-v2: purpose "x": POST \/api\/v2\/purpose failed with 400 Bad Request\n {2}acknowledgment: unknown field.*\n {2}colour: unknown field/,
    );
  });

  it("exits 1 naming the server when it cannot be reached", async () => {
    const server = await testServer();
    await server.close();
    const result = await cli(
      [
        "apply",
        "--kind",
        "purpose",
        "--file",
        "purpose.json",
        "--retries",
        "1",
        "--retry-delay",
        "0.001",
      ],
      { env: { IMMUTA_URL: server.url }, cwd: files() },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /attempt 1 of 2 failed \(ECONNREFUSED\); retrying in 0\.0 s\nimmuta-v2: purpose "Clinical Research": POST \/api\/v2\/purpose failed: connection refused by 127\.0\.0\.1:\d+ \(is the server running\?\) \(after 2 attempts\)\n$/,
    );
  });

  it("retries 503s, saying so on stderr, then succeeds", async () => {
    const { env } = await serverEnv({ faults: [{ status: 503, times: 2 }] });
    const result = await cli(
      ["apply", "--kind", "purpose", "--file", "purpose.json", "--retry-delay", "0.001"],
      { env, cwd: files() },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('purpose "Clinical Research": created\n');
    expect(result.stderr.split("\n")).toEqual([
      expect.stringMatching(
        /^immuta-v2: POST \/api\/v2\/purpose\?dryRun=false: attempt 1 of 5 failed \(status 503\); retrying in 0\.0 s$/,
      ),
      expect.stringMatching(/attempt 2 of 5 failed \(status 503\)/),
      "",
    ]);
  });

  it("times out per --timeout", async () => {
    const { env } = await serverEnv({ faults: [{ delayMs: 3000, times: 1 }] });
    const result = await cli(
      ["apply", "--kind", "purpose", "--file", "purpose.json", "--timeout", "0.2"],
      { env, cwd: files() },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/failed: no answer from 127\.0\.0\.1:\d+ within 0\.2 s\n$/);
  });

  it("takes each kind's own flags, and refuses them on another kind", async () => {
    const { server, env } = await serverEnv();
    const cwd = files();
    for (const [kind, flag] of [
      ["purpose", "--re-acknowledge-required"],
      ["policy", "--re-certify"],
      ["data", "--wait=3"],
    ] as const) {
      const result = await cli(["apply", "--kind", kind, "--file", `${kind}.json`, flag], {
        env,
        cwd,
      });
      expect(result.code).toBe(0);
    }
    await cli(
      [
        "apply",
        "--kind",
        "project",
        "--file",
        "project.json",
        "--delete-data-sources-on-workspace-delete",
      ],
      { env, cwd },
    );
    expect(server.requests().map((r) => r.query)).toEqual([
      { dryRun: "false", reAcknowledgeRequired: "true" },
      { dryRun: "false", reCertify: "true" },
      { dryRun: "false", wait: "3" },
      { dryRun: "false", deleteDataSourcesOnWorkspaceDelete: "true" },
    ]);
    const wrong = await cli(
      ["apply", "--kind", "purpose", "--file", "purpose.json", "--re-certify"],
      {
        env,
        cwd,
      },
    );
    expect(wrong).toMatchObject({ code: 2 });
    expect(wrong.stderr).toBe(
      "immuta-v2: --re-certify applies to --kind policy only (this is --kind purpose)\n",
    );
  });

  it("prints progress while waiting: plain lines in a log, one live line on a terminal", async () => {
    const { env } = await serverEnv({ creationDelayMs: 400 });
    const command = applyCommand({ progressIntervalMs: 100 });
    const argv = ["apply", "--kind", "data", "--file", "data.json", "--wait", "10"];
    const log = await cli(argv, { env, cwd: files(), command });
    expect(log.code).toBe(0);
    const lines = log.stderr.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(
      /^waiting for data source connection "dwh prod": 0 s(, 0 of 2 data sources ready)?$/,
    );
    expect(log.stderr).toContain(", 0 of 2 data sources ready");
    expect(log.stdout).toBe(
      'data source connection "dwh prod": created 2 (public.customers, public.orders)\n',
    );

    const { env: env2 } = await serverEnv({ creationDelayMs: 400 });
    const tty = await cli(argv, { env: env2, cwd: files(), command, tty: true });
    expect(tty.stderr).toMatch(
      /^(\r\x1b\[Kwaiting for data source connection "dwh prod": \d s[^\n]*)+\r\x1b\[K$/,
    );
  });

  it("says which sources are still creating when --wait runs out", async () => {
    const { env } = await serverEnv({ creationDelayMs: 5000 });
    const result = await cli(["apply", "--kind", "data", "--file", "data.json", "--wait", "1"], {
      env,
      cwd: files(),
      command: applyCommand({ progressIntervalMs: 60_000 }),
    });
    expect(result.stdout).toBe(
      'data source connection "dwh prod": created 2 (public.customers, public.orders), still creating 2 (public.customers, public.orders) when --wait ran out\n',
    );
    // Exit 0 (Immuta has the desired state), and a warning that does not hide in the summary.
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: data source connection "dwh prod": 2 data sources were still being created when --wait (1 s) ran out',
    );
  });

  it("says nothing of --wait in a dry run, which waits for nothing", async () => {
    const { env } = await serverEnv({ creationDelayMs: 5000 });
    const result = await cli(
      ["apply", "--kind", "data", "--file", "data.json", "--wait", "1", "--dry-run"],
      { env, cwd: files() },
    );
    expect(result.stdout).not.toContain("--wait");
    expect(result.stderr).not.toContain("--wait");
  });

  it.each(KINDS.map((kind) => [kind]))("names the object in a %s failure", async (kind) => {
    const { env } = await serverEnv({ faults: [{ status: 400, kind }] });
    const result = await cli(["apply", "--kind", kind, "--file", `${kind}.json`], {
      env,
      cwd: files(),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`"${KEYS[kind]}": POST /api/v2/${kind} failed with 400`);
  });
});

describe("immuta-v2 apply with MockAgent", () => {
  it("sends Authorization raw with --auth-header raw", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    let seen: unknown;
    agent
      .get("http://immuta.test")
      .intercept({ path: "/api/v2/purpose?dryRun=false", method: "POST" })
      .reply((options) => {
        seen = (options.headers as Record<string, string>).authorization;
        return { statusCode: 200, data: { dryRun: false, creating: false, updating: true } };
      });
    const result = await cli(
      ["apply", "--kind", "purpose", "--file", "purpose.json", "--auth-header", "raw"],
      {
        env: { IMMUTA_URL: "http://immuta.test" },
        cwd: files(),
        command: applyCommand({ client: { dispatcher: agent } }),
      },
    );
    expect(result.stdout).toBe('purpose "Clinical Research": updated\n');
    expect(seen).toBe(API_KEY);
  });
});
