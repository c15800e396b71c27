/**
 * Issue 12, item 2: a request is authenticated and authorised before its body is read, and what
 * parsing a body may cost is bounded (a YAML body has its own, lower size limit and a token
 * budget). The server runs with a small heap here: a request that made it parse a large YAML
 * document would kill it.
 */
import { acme, purpose, serve } from "../server/support";
import {
  closedByServer,
  connect,
  firstResponse,
  requestHead,
  spawnServer,
  type ServerProcess,
} from "./support";

const KEY = "body-test-key-Hf62pLw9";
/** A 6 MB YAML flow sequence: 21 s and 2.4 GB for the parser of the unpatched server. */
const FLOW_6MB = `[${"a,".repeat(3_000_000)}a]`;

async function post(
  server: ServerProcess,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; message: string }> {
  const response = await fetch(`${server.url}/api/v2/purpose`, { method: "POST", headers, body });
  const text = await response.text();
  return { status: response.status, message: JSON.parse(text).message };
}

test("a request without a valid key is answered 401 while its body is still being sent", async () => {
  const server = await serve({ apiKeys: [{ key: KEY }] });
  const socket = await connect(Number(new URL(server.url).port));
  const head = requestHead("POST", "/api/v2/purpose", {
    authorization: "not-the-key",
    "content-type": "text/plain",
    "content-length": 6 * 1024 * 1024,
  });
  socket.write(`${head}[a,a,a,`);
  const answer = await firstResponse(socket);
  expect(answer.status).toBe(401);
  expect(JSON.parse(answer.text).message).toMatch(/^The API key is not valid/);
  await server.close();
});

test("a key without the endpoint's permission is 403 before its body is read", async () => {
  const server = await serve({ apiKeys: [{ key: KEY, permissions: ["CREATE_PROJECT"] }] });
  const socket = await connect(Number(new URL(server.url).port));
  socket.write(
    requestHead("POST", "/api/v2/purpose", {
      authorization: KEY,
      "content-type": "application/json",
      "content-length": 1024 * 1024,
    }) + '{"name":',
  );
  expect((await firstResponse(socket)).status).toBe(403);
  await server.close();
});

test("a query or Content-Type that would be refused is refused before the body is read", async () => {
  const server = await serve({ apiKeys: [{ key: KEY }] });
  for (const [path, type, status] of [
    ["/api/v2/purpose?dryrun=true", "application/json", 400],
    ["/api/v2/purpose", "application/x-www-form-urlencoded", 415],
  ] as const) {
    const socket = await connect(Number(new URL(server.url).port));
    socket.write(
      requestHead("POST", path, {
        authorization: KEY,
        "content-type": type,
        "content-length": 1024 * 1024,
      }) + "{",
    );
    expect((await firstResponse(socket)).status).toBe(status);
  }
  await server.close();
});

describe("a server with a 160 MB heap", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await spawnServer(["--api-key", KEY], { heapMb: 160 });
  });
  afterAll(() => server.stop());

  test("refuses 6 MB YAML bodies without a key (401), four at once, and stays up", async () => {
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => post(server, FLOW_6MB, { "content-type": "text/plain" })),
    );
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect(server.alive()).toBe(true);
  });

  test("refuses a YAML body over the YAML limit with a key (413 unread), and stays up", async () => {
    const answer = await post(server, FLOW_6MB, {
      authorization: KEY,
      "content-type": "application/yaml",
    });
    expect(answer.status).toBe(413);
    expect(answer.message).toBe(
      "The request body is larger than 1048576 bytes (the limit for YAML; send large payloads as JSON, up to 10485760 bytes)",
    );
    expect(server.alive()).toBe(true);
  });

  test("ends the parse of a YAML body past its token budget with 413, and stays up", async () => {
    const under = `[${"a,".repeat(500_000)}a]`; // 1,000,003 bytes: under the size limit
    const answer = await post(server, under, { authorization: KEY, "content-type": "text/yaml" });
    expect(answer.status).toBe(413);
    expect(answer.message).toMatch(
      /^request body:1:\d+: more than 50000 YAML tokens: too large to parse as YAML; send it as JSON$/,
    );
    const ok = await post(server, "name: Research\n", {
      authorization: KEY,
      "content-type": "text/yaml",
    });
    expect(ok.status).toBe(200);
    expect(server.alive()).toBe(true);
  });
});

test("an object of 100,000 fields is refused at once, before each field is validated", async () => {
  const server = await serve({ apiKeys: [{ key: KEY }] });
  const fields = Array.from({ length: 100_000 }, (_, i) => `"k${i}":1`).join(",");
  const answer = await server.post("purpose", `{"name":"x",${fields}}`, "", { auth: KEY });
  expect(answer.status).toBe(400);
  expect(answer.body.message).toBe(
    "(payload): has 100001 fields; an object of a payload has at most 1000",
  );
  await server.close();
});

test("a slow body without a key does not hold the server: the answer comes first, the connection can be cut", async () => {
  const server = await serve({
    apiKeys: [{ key: KEY }],
    requestTimeoutMs: 1000,
    headersTimeoutMs: 500,
  });
  const socket = await connect(Number(new URL(server.url).port));
  socket.write(
    requestHead("POST", "/api/v2/data", {
      "content-type": "application/json",
      "content-length": 100_000,
    }),
  );
  const closed = closedByServer(socket);
  const received = await closed;
  expect(received).toMatch(/^HTTP\/1\.1 401 /);
  expect((await server.post("data", acme(), "", { auth: KEY })).status).toBe(200);
  expect((await server.post("purpose", purpose("A"), "", { auth: KEY })).status).toBe(200);
  await server.close();
});
