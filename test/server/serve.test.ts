/** `immuta-v2 serve`, in-process: the listening line first, then serving until aborted. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { run } from "../../src/cli/run";
import { checkCatalog } from "../../src/server/catalog";
import { captureIo } from "../helpers/capture-io";
import { parseApiKey } from "../../src/cli/commands/serve";
import { selfSignedCertificate } from "./fixtures/self-signed";
import { Agent, send } from "./support";

/** Runs `serve` until the test aborts it; resolves the URL once the first line is out. */
function startServe(args: string[], cwd = process.cwd()) {
  const controller = new AbortController();
  let stdout = "";
  let stderr = "";
  let announce: (url: string) => void;
  const listening = new Promise<string>((resolve) => (announce = resolve));
  const io = {
    ...captureIo().io,
    cwd,
    signal: controller.signal,
    stdout: {
      write: (chunk: string) => {
        stdout += chunk;
        const line = /^listening on (\S+)\n/.exec(stdout);
        if (line) announce(line[1]);
        return true;
      },
    },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  };
  const exit = run(["serve", ...args], io);
  return {
    listening,
    exit,
    stop: () => controller.abort(),
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

test("prints `listening on URL` as its first line, serves, and stops cleanly on abort", async () => {
  const serve = startServe(["--port", "0"]);
  const url = await serve.listening;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(serve.stdout().split("\n")[0]).toBe(`listening on ${url}`);
  expect((await send(url, "POST", "/api/v2/purpose", { name: "Research" })).status).toBe(200);
  serve.stop();
  expect(await serve.exit).toBe(0);
  await expect(send(url, "GET", "/api/v2/purpose")).rejects.toThrow();
});

test("takes api keys with permissions, a catalog file, a data dir, faults and limits", async () => {
  const dir = mkdtempSync(join(tmpdir(), "immuta-v2-serve-"));
  writeFileSync(
    join(dir, "catalog.yaml"),
    "connections:\n  - hostname: pg.local\n    database: shop\n    schemas:\n      sales: { items: [id, sku] }\n",
  );
  const serve = startServe(
    [
      "--port",
      "0",
      "--data-dir",
      "state",
      "--api-key",
      "admin",
      "--api-key",
      "steward:GOVERNANCE",
      "--catalog",
      "catalog.yaml",
      "--fault",
      "status=503,times=1,kind=project",
      "--max-body-bytes",
      "2000",
      "--creation-delay",
      "0",
    ],
    dir,
  );
  const url = await serve.listening;
  const data = {
    connectionKey: "pg",
    connection: { handler: "PostgreSQL", hostname: "pg.local", database: "shop" },
  };
  expect((await send(url, "POST", "/api/v2/data", data, { auth: "admin" })).body.creating).toEqual([
    "sales.items",
  ]);
  expect((await send(url, "POST", "/api/v2/data", data, { auth: "steward" })).status).toBe(403);
  expect(
    (await send(url, "POST", "/api/v2/project", { projectKey: "p", name: "p" }, { auth: "admin" }))
      .status,
  ).toBe(503);
  expect(
    (await send(url, "POST", "/api/v2/purpose", { name: "x".repeat(3000) }, { auth: "admin" }))
      .status,
  ).toBe(413);
  serve.stop();
  expect(await serve.exit).toBe(0);
  expect(serve.stderr()).toBe("");

  // The data dir kept the connection.
  const again = startServe(
    ["--port", "0", "--data-dir", "state", "--catalog", "catalog.yaml"],
    dir,
  );
  const url2 = await again.listening;
  expect((await send(url2, "GET", "/api/v2/data")).body).toEqual(["pg"]);
  expect(again.stderr()).toMatch(/accepting any API key/);
  again.stop();
  expect(await again.exit).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

test("--tls-cert and --tls-key serve HTTPS, announced as https://", async () => {
  const dir = mkdtempSync(join(tmpdir(), "immuta-v2-serve-"));
  const { cert, key } = selfSignedCertificate();
  writeFileSync(join(dir, "cert.pem"), cert);
  writeFileSync(join(dir, "key.pem"), key);
  const serve = startServe(["--port", "0", "--tls-cert", "cert.pem", "--tls-key", "key.pem"], dir);
  const url = await serve.listening;
  expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const agent = new Agent({ connect: { ca: cert } });
  expect(
    (await send(url, "GET", "/api/v2/purpose", undefined, { dispatcher: agent })).body,
  ).toEqual([]);
  await agent.close();
  serve.stop();
  expect(await serve.exit).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

test("bad flags are usage errors (exit 2); a bad catalog fails to start (exit 1)", async () => {
  const { io, stderr } = captureIo();
  expect(await run(["serve", "--port", "http"], io)).toBe(2);
  expect(stderr()).toMatch(/--port must be a whole number/);
  expect(await run(["serve", "--api-key", "k:ADMIN"], io)).toBe(2);
  expect(await run(["serve", "--fault", "times=1"], io)).toBe(2);
  expect(await run(["serve", "--tls-cert", "c.pem"], io)).toBe(2);
  const dir = mkdtempSync(join(tmpdir(), "immuta-v2-serve-"));
  writeFileSync(join(dir, "catalog.json"), '{"connections":[{"hostname":"h"}]}');
  const bad = captureIo({ cwd: dir });
  expect(await run(["serve", "--port", "0", "--catalog", "catalog.json"], bad.io)).toBe(1);
  expect(bad.stderr()).toMatch(
    /catalog\.json: not a valid catalog:\n {2}connections\[0\]\.database: required/,
  );
  rmSync(dir, { recursive: true, force: true });
});

test("--help documents every flag", async () => {
  const { io, stdout } = captureIo();
  expect(await run(["serve", "--help"], io)).toBe(0);
  for (const flag of [
    "--port",
    "--host",
    "--data-dir",
    "--api-key",
    "--catalog",
    "--creation-delay",
    "--max-body-bytes",
    "--users",
    "--max-yaml-body-bytes",
    "--max-connections",
    "--headers-timeout",
    "--request-timeout",
    "--fault",
    "--tls-cert",
    "--tls-key",
  ]) {
    expect(stdout()).toContain(flag);
  }
});

test("--help documents the catalog format with an example that is a valid catalog", async () => {
  const { io, stdout } = captureIo();
  expect(await run(["serve", "--help"], io)).toBe(0);
  const lines = stdout().split("\n");
  const start = lines.findIndex((line) => line.trim() === "connections:");
  expect(start).toBeGreaterThan(0);
  const indent = lines[start].indexOf("connections:");
  // The example runs until the first line indented less than its own first line.
  const example: string[] = [];
  for (const line of lines.slice(start)) {
    if (line.length <= indent || line.slice(0, indent).trim() !== "") break;
    example.push(line.slice(indent));
  }
  const catalog = checkCatalog(parseYaml(example.join("\n")), "serve --help");
  expect(catalog.connections[0]).toMatchObject({ database: "ANALYTICS" });
});

test("--help names the simulate route and every compatibility route", async () => {
  const { io, stdout } = captureIo();
  expect(await run(["serve", "--help"], io)).toBe(0);
  for (const route of [
    "POST /api/v2/simulate",
    "GET, DELETE /governance/purpose/{id}",
    "GET /governance/purpose",
    "GET /project/{id}",
    "GET /project ",
    "POST /project/{id}/members/{subscriptionId}/acknowledge",
    "POST, GET /tag",
    "DELETE /tag/{name}",
  ]) {
    expect(stdout()).toContain(route);
  }
});

test("--api-key KEY:PERMS limits the key, KEY:PERMS:USER names its user; a bare key has every permission", () => {
  expect(parseApiKey("abc")).toEqual({ key: "abc" });
  expect(parseApiKey("abc:GOVERNANCE,CREATE_PROJECT")).toEqual({
    key: "abc",
    permissions: ["GOVERNANCE", "CREATE_PROJECT"],
  });
  expect(parseApiKey("abc:GOVERNANCE:alice")).toEqual({
    key: "abc",
    permissions: ["GOVERNANCE"],
    user: "alice",
  });
  expect(parseApiKey("abc::ldap:alice")).toEqual({ key: "abc", user: "ldap:alice" });
});

test("--api-key mistakes are usage errors that never repeat the key", () => {
  expect(() => parseApiKey("s3cret-key:ADMIN")).toThrow(
    'unknown permission "ADMIN" (use CREATE_DATA_SOURCE, GOVERNANCE, CREATE_PROJECT; a key holding ":" goes in a --users file)',
  );
  expect(() => parseApiKey("s3cret-key:GOVERNANCE:")).toThrow("the user name is empty");
  expect(() => parseApiKey("s3cret-key::s3cret-key")).toThrow(
    "the user name must not contain the key",
  );
  for (const flag of ["s3cret-key:ADMIN", "s3cret-key:GOVERNANCE:", "s3cret-key::s3cret-key"]) {
    expect(() => parseApiKey(flag)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("s3cret") }),
    );
  }
});

test("--max-connections, the timeouts and --max-yaml-body-bytes are checked", async () => {
  for (const [flag, value, message] of [
    ["--max-connections", "0", "--max-connections must be 1 or more"],
    [
      "--headers-timeout",
      "soon",
      '--headers-timeout must be a number of seconds above 0 (got "soon")',
    ],
    ["--request-timeout", "0", '--request-timeout must be a number of seconds above 0 (got "0")'],
    ["--max-yaml-body-bytes", "0", "--max-yaml-body-bytes must be 1 or more"],
    [
      "--headers-timeout",
      "45",
      "--headers-timeout must not exceed --request-timeout (the headers are part of the request)",
    ],
  ]) {
    const { io, stderr } = captureIo();
    expect(await run(["serve", flag, value], io)).toBe(2);
    expect(stderr()).toBe(`immuta-v2: ${message}\n`);
  }
});
