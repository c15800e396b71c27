/**
 * Issue 12, item 1: the server knows users by name, never by key. No key, in full or in part,
 * is stored, returned or logged; a key with fewer permissions cannot read a stronger key.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../src/cli/run";
import { Api } from "../../src/server/api";
import { encodeRecord } from "../../src/server/record-file";
import { acme, serve, table, userOfKey } from "../server/support";
import { captureIo } from "../helpers/capture-io";
import { filesUnder, spawnServer, tempDir } from "./support";

const ADMIN_KEY = "admin-key-Tq93hZ0wLx";
const LIMITED_KEY = "ds-only-key-Pr58mVa2Kc";

/** Whether a text holds a key, or any 8 characters of one in a row. */
function holdsKey(text: string, key: string): boolean {
  for (let i = 0; i + 8 <= key.length; i++) if (text.includes(key.slice(i, i + 8))) return true;
  return false;
}

function expectNoKey(text: string, ...keys: string[]) {
  for (const key of keys) {
    if (holdsKey(text, key)) throw new Error(`a key (or part of one) leaked:\n${text}`);
  }
}

test("the owner of a data source is the user the key acts as; no response or stored file holds a key", async () => {
  const dataDir = tempDir();
  const server = await serve({
    dataDir,
    apiKeys: [
      { key: ADMIN_KEY, user: "admin" },
      { key: LIMITED_KEY, permissions: ["CREATE_DATA_SOURCE"] },
    ],
  });
  const asAdmin = { auth: `Bearer ${ADMIN_KEY}` };
  const asLimited = { auth: LIMITED_KEY };
  const owners = [{ type: "group", name: "Stewards" }];
  const posted = await server.post(
    "data",
    acme({ sources: [table("orders")], owners }),
    "",
    asAdmin,
  );
  expect(posted.status).toBe(200);
  const read = await server.call("GET", "/api/v2/data/acme", undefined, asLimited);
  expect(read.body.dataOwners).toEqual([{ type: "user", name: "admin" }, ...owners]);

  await server.call("DELETE", "/api/v2/data/acme", undefined, asAdmin);
  await server.post("data", acme({ sources: [table("orders")] }), "", asLimited);
  const mine = await server.call("GET", "/api/v2/data/acme", undefined, asLimited);
  expect(mine.body.dataOwners).toEqual([{ type: "user", name: userOfKey(LIMITED_KEY) }]);

  for (const answer of [posted, read, mine]) expectNoKey(answer.text, ADMIN_KEY, LIMITED_KEY);
  expectNoKey(JSON.stringify(server.requests()), ADMIN_KEY, LIMITED_KEY);
  await server.close();
  expectNoKey(JSON.stringify(filesUnder(dataDir)), ADMIN_KEY, LIMITED_KEY);
});

test("a key holding only CREATE_DATA_SOURCE cannot read the admin key and gains nothing", async () => {
  const server = await serve({
    apiKeys: [{ key: ADMIN_KEY }, { key: LIMITED_KEY, permissions: ["CREATE_DATA_SOURCE"] }],
  });
  await server.post("data", acme({ sources: [table("orders")] }), "", { auth: ADMIN_KEY });
  const read = await server.call("GET", "/api/v2/data/acme", undefined, { auth: LIMITED_KEY });
  expect(read.status).toBe(200);
  expectNoKey(read.text, ADMIN_KEY);
  // Whatever it read, it is still refused what it was refused.
  for (const name of read.body.dataOwners.map((o: { name: string }) => o.name)) {
    expect((await server.call("GET", "/api/v2/policy", undefined, { auth: name })).status).toBe(
      401,
    );
  }
  expect(
    (await server.call("GET", "/api/v2/policy", undefined, { auth: LIMITED_KEY })).status,
  ).toBe(403);
  await server.close();
});

test("--api-key KEY:PERMS:USER and a users file name users; keys come from the environment or as hashes", async () => {
  const dir = tempDir();
  const { createHash } = await import("node:crypto");
  const stewardKey = "steward-key-Wd71xQ4nB";
  writeFileSync(
    join(dir, "users.yaml"),
    [
      "users:",
      "  - name: ci-deployer",
      "    key: { $env: CI_IMMUTA_KEY }",
      "  - name: steward",
      `    keySha256: ${createHash("sha256").update(stewardKey).digest("hex")}`,
      "    permissions: [GOVERNANCE]",
      "",
    ].join("\n"),
  );
  const server = await spawnServer(
    ["--users", "users.yaml", "--api-key", `${ADMIN_KEY}:CREATE_DATA_SOURCE:alice`],
    { cwd: dir, env: { CI_IMMUTA_KEY: LIMITED_KEY } },
  );
  const call = async (key: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: key, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    expectNoKey(text, ADMIN_KEY, LIMITED_KEY, stewardKey);
    return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
  };
  await call(ADMIN_KEY, "POST", "/api/v2/data", acme({ sources: [table("orders")] }));
  expect((await call(LIMITED_KEY, "GET", "/api/v2/data/acme")).body.dataOwners).toEqual([
    { type: "user", name: "alice" },
  ]);
  await call(LIMITED_KEY, "POST", "/api/v2/data", acme({ sources: [table("orders")], owners: [] }));
  expect((await call(ADMIN_KEY, "GET", "/api/v2/data/acme")).body.dataOwners).toEqual([
    { type: "user", name: "ci-deployer" },
  ]);
  expect((await call(stewardKey, "POST", "/api/v2/purpose", { name: "R" })).status).toBe(200);
  expect((await call(stewardKey, "GET", "/api/v2/data")).status).toBe(403);
  expect((await call("wrong-key-Zb00000000", "GET", "/api/v2/data")).status).toBe(401);
  await server.stop();
  expectNoKey(server.stderr(), ADMIN_KEY, LIMITED_KEY, stewardKey);
});

test("a users file whose key variable is unset or empty is a usage error naming it, never a key", async () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, "users.json"),
    JSON.stringify({ users: [{ name: "ci", key: { $env: "NOT_SET_HERE" } }, { name: "x" }] }),
  );
  const { io, stderr } = captureIo({ cwd: dir, env: {} });
  expect(await run(["serve", "--port", "0", "--users", "users.json"], io)).toBe(2);
  expect(stderr()).toContain("users[0].key: environment variable NOT_SET_HERE is not set");
  expect(stderr()).toContain("users[1]: give either key or keySha256");
});

test("an owner stored by an older server under a configured key is renamed on start, in memory and on disk", async () => {
  const dataDir = tempDir();
  // Written as the server before this change stored it: the poster's key as the owner.
  new Api({ dataDir }).close();
  const payload = acme({ sources: [table("orders")] });
  const record = encodeRecord({
    kind: "data",
    key: "acme",
    id: 1,
    createdAt: "2024-01-01T00:00:00.000Z",
    updatedAt: "2024-01-01T00:00:00.000Z",
    payload: JSON.stringify(payload),
    identity: "",
    details: "",
    settings: "",
    owners: [{ type: "user", name: ADMIN_KEY }],
    sources: [],
  });
  writeFileSync(join(dataDir, "data", `${Buffer.from("acme").toString("hex")}.json`), record);
  expect(holdsKey(JSON.stringify(filesUnder(dataDir)), ADMIN_KEY)).toBe(true);

  const server = await serve({ dataDir, apiKeys: [{ key: ADMIN_KEY, user: "admin" }] });
  const read = await server.call("GET", "/api/v2/data/acme", undefined, { auth: ADMIN_KEY });
  expect(read.body.dataOwners).toEqual([{ type: "user", name: "admin" }]);
  await server.close();
  expectNoKey(JSON.stringify(filesUnder(dataDir)), ADMIN_KEY);
});
