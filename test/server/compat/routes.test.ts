/**
 * The compatibility routes behind the V2 API's checks, in its order (method, key, path,
 * permission, query, Content-Type) and before a body is read; named in the 404 of a path the
 * server does not serve; logged without a V2 kind.
 */
import { connect, firstResponse, requestHead } from "../../security/support";
import { serve, type TestServer } from "../support";

const KEY = "routes-key";
const READER = "reader-key";

let server: TestServer;
beforeAll(async () => {
  server = await serve({
    apiKeys: [{ key: KEY }, { key: READER, permissions: ["CREATE_DATA_SOURCE"] }],
  });
});
afterAll(() => server.close());

test("an unknown path's 404 lists the compatibility routes among what the server serves", async () => {
  const answer = await server.call("GET", "/governance/purposes", undefined, { auth: KEY });
  expect(answer.status).toBe(404);
  expect(answer.body.message).toBe(
    "No such endpoint: GET /governance/purposes (the V2 API serves /api/v2/data, /api/v2/policy, " +
      "/api/v2/project and /api/v2/purpose; the embedded server also serves /api/v2/simulate [ours] " +
      "and, for Immuta's Terraform provider, the compatibility routes /governance/purpose, " +
      "/governance/purpose/{id}, /project, /project/{id}, " +
      "/project/{id}/members/{subscriptionId}/acknowledge, /tag, /tag/{name})",
  );
});

test("a method a route does not serve is 405 naming those it does, before the key is checked", async () => {
  const answer = await server.call("PUT", "/project/1", {}, { auth: null });
  expect(answer.status).toBe(405);
  expect(answer.text).toContain("PUT is not supported on /project/1");
  const raw = await fetch(`${server.url}/tag`, {
    method: "DELETE",
    headers: { authorization: KEY },
  });
  expect(raw.headers.get("allow")).toBe("GET, POST");
});

test("the key comes before the path's own checks: a stranger learns nothing from a bad id", async () => {
  expect((await server.call("GET", "/project/abc", undefined, { auth: null })).status).toBe(401);
  const bad = await server.call("GET", "/project/abc", undefined, { auth: KEY });
  expect(bad.status).toBe(400);
  expect(bad.body.message).toBe('id in /project/abc must be a whole number (got "abc")');
  const encoding = await server.call("DELETE", "/tag/%E0%A4%A", undefined, { auth: KEY });
  expect(encoding.status).toBe(400);
  expect(encoding.body.message).toBe("Malformed name in /tag/%E0%A4%A: not valid URL encoding");
});

test("POST /tag without a valid key, or without GOVERNANCE, is refused before its body is read", async () => {
  for (const [authorization, status] of [
    ["not-the-key", 401],
    [READER, 403],
  ] as const) {
    const socket = await connect(Number(new URL(server.url).port));
    socket.write(
      requestHead("POST", "/tag", {
        authorization,
        "content-type": "application/json",
        "content-length": 1024 * 1024,
      }) + '{"tags":[',
    );
    expect((await firstResponse(socket)).status).toBe(status);
    socket.destroy();
  }
});

test("a Content-Type other than JSON or YAML is 415; a body too large 413", async () => {
  const xml = await server.call("POST", "/tag", "<tags/>", {
    auth: KEY,
    contentType: "application/xml",
  });
  expect(xml.status).toBe(415);
  const small = await serve({ apiKeys: [{ key: KEY }], maxBodyBytes: 64 });
  try {
    const large = await small.call(
      "POST",
      "/tag",
      { tags: [{ name: "x".repeat(100) }] },
      { auth: KEY },
    );
    expect(large.status).toBe(413);
  } finally {
    await small.close();
  }
});

test("the request log shows compatibility requests without a V2 kind or key", async () => {
  await server.call("GET", "/tag?searchText=PII", undefined, { auth: KEY });
  expect(server.requests().at(-1)).toEqual({
    method: "GET",
    path: "/tag",
    query: { searchText: "PII" },
    status: 200,
  });
});

test("injected faults are for the V2 routes: a compatibility route is never faulted", async () => {
  const faulty = await serve({ apiKeys: [{ key: KEY }], faults: [{ status: 503 }] });
  try {
    expect((await faulty.call("GET", "/api/v2/purpose", undefined, { auth: KEY })).status).toBe(
      503,
    );
    expect((await faulty.call("GET", "/tag", undefined, { auth: KEY })).status).toBe(200);
  } finally {
    await faulty.close();
  }
});
