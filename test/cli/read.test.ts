/** `immuta-v2 get` and `list`: reading back from the embedded server, and saying when a server cannot. */
import { KEYS, PAYLOADS, testServer } from "../client/fixtures";
import { cli, workdir } from "./harness";

describe("immuta-v2 get and list", () => {
  it("lists keys and prints one object as JSON, secrets redacted", async () => {
    const server = await testServer();
    const env = { IMMUTA_URL: server.url };
    const cwd = workdir({ "data.json": PAYLOADS.data });
    await cli(["apply", "--kind", "data", "--file", "data.json"], { env, cwd });
    const list = await cli(["list", "--kind", "data"], { env });
    expect(list).toMatchObject({ code: 0, stderr: "", stdout: `${KEYS.data}\n` });
    const json = await cli(["list", "--kind", "data", "--json"], { env });
    expect(JSON.parse(json.stdout)).toEqual([KEYS.data]);
    const get = await cli(["get", "--kind", "data", "--key", KEYS.data], { env });
    expect(get.code).toBe(0);
    const stored = JSON.parse(get.stdout);
    expect(stored).toMatchObject({
      connectionKey: KEYS.data,
      connection: { password: "[redacted]" },
      dataSources: [
        { name: "public.customers", status: "active" },
        { name: "public.orders", status: "active" },
      ],
    });
    // The embedded server names an unnamed key's user after a short hash of it, never the key.
    expect(stored.dataOwners).toEqual([
      { type: "user", name: expect.stringMatching(/^key-sha256-[0-9a-f]{12}$/) },
    ]);
    // --json, as every command that prints results takes it: the same JSON.
    const asJson = await cli(["get", "--kind", "data", "--key", KEYS.data, "--json"], { env });
    expect(asJson).toMatchObject({ code: 0, stdout: get.stdout });
  });

  it("exits 1 when the object does not exist", async () => {
    const server = await testServer();
    const result = await cli(["get", "--kind", "purpose", "--key", "Nope"], {
      env: { IMMUTA_URL: server.url },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^immuta-v2: purpose "Nope": GET \/api\/v2\/purpose\/Nope failed with 404 Not Found/,
    );
  });

  it("says clearly when the server has no read endpoint", async () => {
    const server = await testServer();
    const env = { IMMUTA_URL: `${server.url}/v2-only` };
    for (const argv of [
      ["list", "--kind", "policy"],
      ["get", "--kind", "policy", "--key", "mask pii"],
    ]) {
      const result = await cli(argv, { env });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        "immuta-v2: the server has no GET /v2-only/api/v2/policy endpoint (it answered 404): " +
          "reading objects back is served by the embedded server (immuta-v2 serve), not by Immuta's V2 API\n",
      );
    }
  });
});
