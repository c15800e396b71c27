/** The HTTP surface: auth, routes, bodies, limits, errors, GET and DELETE, the request log. */
import * as http from "node:http";
import {
  acme,
  policy,
  project,
  purpose,
  serve,
  table,
  userOfKey,
  type TestServer,
} from "./support";

describe("authentication and permissions", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve({
      apiKeys: [{ key: "admin" }, { key: "steward", permissions: ["GOVERNANCE"] }],
    });
  });
  afterAll(() => server.close());

  test("both Authorization forms are accepted: the bare key and Bearer <key>", async () => {
    expect((await server.post("purpose", purpose("A"), "", { auth: "admin" })).status).toBe(200);
    expect((await server.post("purpose", purpose("B"), "", { auth: "Bearer admin" })).status).toBe(
      200,
    );
  });

  test("no key, or an unknown one, is 401", async () => {
    const none = await server.post("purpose", purpose("C"), "", { auth: null });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({
      statusCode: 401,
      error: "Unauthorized",
      message: expect.stringContaining("A valid Authorization token must be provided"),
    });
    const unknown = await server.post("purpose", purpose("C"), "", { auth: "Bearer nope" });
    expect(unknown.status).toBe(401);
  });

  test("a key without the endpoint's permission is 403 naming the permission", async () => {
    const answer = await server.post("project", project("p"), "", { auth: "steward" });
    expect(answer.status).toBe(403);
    expect(answer.body.message).toBe(
      "This API key lacks the CREATE_PROJECT permission, which POST /api/v2/project requires",
    );
    expect((await server.post("data", acme(), "", { auth: "steward" })).body.message).toContain(
      "CREATE_DATA_SOURCE",
    );
    expect((await server.post("policy", policy("p"), "", { auth: "steward" })).status).toBe(200);
  });

  test("without configured keys any key is accepted, acting as the user named after its hash", async () => {
    const open = await serve();
    expect(
      (await open.post("data", acme({ sources: [table("orders")] }), "", { auth: "carol" })).status,
    ).toBe(200);
    expect((await open.call("GET", "/api/v2/data/acme")).body.dataOwners).toEqual([
      { type: "user", name: userOfKey("carol") },
    ]);
    expect((await open.post("purpose", purpose("A"), "", { auth: "" })).status).toBe(401);
    await open.close();
  });
});

describe("bodies", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve({ maxBodyBytes: 64 * 1024 });
  });
  afterAll(() => server.close());

  test("YAML sent as text/plain (as Immuta's curl example does) is read as YAML", async () => {
    const yaml = "# a purpose\nname: Research\ndescription: >\n  folded text\n";
    for (const type of [
      "text/plain",
      "application/yaml",
      "application/x-yaml",
      "text/yaml; charset=utf-8",
    ]) {
      const answer = await server.post("purpose", yaml, "", { contentType: type });
      expect(answer.status).toBe(200);
    }
    expect((await server.call("GET", "/api/v2/purpose/Research")).body.description).toBe(
      "folded text\n",
    );
  });

  test("malformed JSON and YAML are 400s with line and column", async () => {
    const json = await server.post("purpose", '{\n  "name": "x",\n  "description": }', "");
    expect(json.status).toBe(400);
    expect(json.body.message).toBe(
      'request body:3:18: invalid JSON: expected a JSON value, found "}"',
    );
    const yaml = await server.post("purpose", "name: x\n  description: [", "", {
      contentType: "text/plain",
    });
    expect(yaml.status).toBe(400);
    expect(yaml.body.message).toMatch(/^request body:\d+:\d+: /);
  });

  test("exactly one YAML document per body", async () => {
    const answer = await server.post("purpose", "name: a\n---\nname: b\n", "", {
      contentType: "application/yaml",
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      "request body: 2 YAML documents (the second starts on line 3); send one payload per request",
    );
  });

  test("an empty body, invalid UTF-8 and an unsupported Content-Type are refused", async () => {
    expect((await server.post("purpose", " ", "")).body.message).toMatch(/^request body: empty/);
    expect((await server.post("purpose", Buffer.from([0x7b, 0xff, 0x7d]), "")).body.message).toBe(
      "request body: not valid UTF-8",
    );
    const form = await server.post("purpose", "name=x", "", {
      contentType: "application/x-www-form-urlencoded",
    });
    expect(form.status).toBe(415);
  });

  test("validation lists every problem, one per line, as field.path: problem", async () => {
    const answer = await server.post("data", {
      connectionKey: "k",
      connection: { handler: "Snowflake", port: "443" },
      sources: [{ schema: "public" }],
      colour: "blue",
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message.split("\n").sort()).toEqual([
      expect.stringMatching(/^colour: unknown field/),
      'connection.port: must be a whole number (got "443")',
      "sources[0].table: required",
    ]);
  });

  test("an unresolved secret placeholder is refused, naming the field", async () => {
    const answer = await server.post(
      "data",
      acme({ connection: { ...acme().connection, password: { $env: "PW" } } }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      'connection.password: an unresolved secret placeholder { "$env": "PW" }: the client must replace it with the secret before sending',
    );
  });

  test("absurdly nested bodies are refused without a crash", async () => {
    const deep = `{"name":"x","description":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    const answer = await server.post("purpose", deep, "");
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/nested more than 64 levels deep/);
  });

  test("a body over the limit is 413, whether its length is declared or streamed", async () => {
    const big = JSON.stringify(purpose("Big", { description: "x".repeat(100 * 1024) }));
    const declared = await server.post("purpose", big, "");
    expect(declared.status).toBe(413);
    expect(declared.body.message).toBe("The request body is larger than 65536 bytes");
    const streamed = await chunkedPost(server.url, "/api/v2/purpose", big);
    expect(streamed.status).toBe(413);
    expect((await server.call("GET", "/api/v2/purpose")).body).not.toContain("Big");
  });
});

/** POSTs a body with chunked transfer encoding (no Content-Length). */
function chunkedPost(base: string, path: string, body: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, {
      method: "POST",
      headers: {
        authorization: "k",
        "content-type": "application/json",
        "transfer-encoding": "chunked",
      },
    });
    req.on("response", (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    // The server may stop reading once it has answered; that is not this test's failure.
    req.on("error", (error) => (req.destroyed ? undefined : reject(error)));
    for (let i = 0; i < body.length; i += 8192) req.write(body.slice(i, i + 8192));
    req.end();
  });
}

describe("routes, GET and DELETE", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await serve();
  });
  afterEach(() => server.close());

  test("unknown endpoints are 404, wrong methods 405 with Allow", async () => {
    const unknown = await server.call("GET", "/api/v2/widgets");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe("Not Found");
    const wrong = await server.call("PUT", "/api/v2/policy", {});
    expect(wrong.status).toBe(405);
  });

  test("GET lists keys; GET of a key returns the payload plus id, createdAt, updatedAt, secrets redacted", async () => {
    await server.post(
      "data",
      acme({
        connection: {
          ...acme().connection,
          clientSecret: "cs",
          userFiles: [{ key: "PRIV_KEY_FILE", fileName: "k.p8", content: "c2VjcmV0" }],
        },
        sources: [table("customers", "public", { tags: { table: ["PII"] } })],
      }),
    );
    expect((await server.call("GET", "/api/v2/data")).body).toEqual(["acme"]);
    const stored = await server.call("GET", "/api/v2/data/acme");
    expect(stored.body).toMatchObject({
      connectionKey: "acme",
      id: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      dataSources: [
        {
          name: "public.customers",
          status: "active",
          schema: "public",
          table: "customers",
          tableTags: ["PII"],
          columnTags: [],
        },
      ],
    });
    expect(stored.body.connection).toMatchObject({
      password: "[redacted]",
      clientSecret: "[redacted]",
      userFiles: [{ key: "PRIV_KEY_FILE", fileName: "k.p8", content: "[redacted]" }],
    });
    expect(stored.text).not.toMatch(/s3cret|c2VjcmV0|"cs"/);
  });

  test("keys are URL-encoded in paths and may contain spaces and slashes", async () => {
    await server.post("project", project("my project/v2"));
    expect((await server.call("GET", "/api/v2/project/my%20project%2Fv2")).body.projectKey).toBe(
      "my project/v2",
    );
    const deleted = await server.call("DELETE", "/api/v2/project/my%20project%2Fv2");
    expect(deleted.body).toEqual({ dryRun: false, deleted: "my project/v2" });
  });

  test("DELETE of an absent key is 404; dryRun deletes nothing (the Terraform provider's existence probe)", async () => {
    const absent = await server.call("DELETE", "/api/v2/data/acme?dryRun=true");
    expect(absent.status).toBe(404);
    expect(absent.body).toEqual({
      statusCode: 404,
      error: "Not Found",
      message: 'No data source connection with key "acme"',
    });
    await server.post("data", acme({ sources: [table("orders")] }));
    expect((await server.call("DELETE", "/api/v2/data/acme?dryRun=true")).body).toEqual({
      dryRun: true,
      deleted: "acme",
    });
    expect((await server.call("GET", "/api/v2/data/acme")).status).toBe(200);
    await server.call("DELETE", "/api/v2/data/acme");
    expect((await server.call("GET", "/api/v2/data/acme")).status).toBe(404);
  });

  test("a deleted connection frees its data source names and its connection identity", async () => {
    await server.post("data", acme({ sources: [table("orders")] }));
    await server.call("DELETE", "/api/v2/data/acme");
    const again = await server.post("data", {
      ...acme({ sources: [table("orders")] }),
      connectionKey: "acme-2",
    });
    expect(again.body.creating).toEqual(["public.orders"]);
  });

  test("an unknown query parameter (a typo of dryRun) is refused rather than ignored", async () => {
    const answer = await server.post("purpose", purpose("A"), "?dryrun=true");
    expect(answer.status).toBe(400);
    expect((await server.call("GET", "/api/v2/purpose")).body).toEqual([]);
  });
});

describe("the request log", () => {
  test("records method, path, query, status, kind and key in arrival order", async () => {
    const server = await serve();
    await server.post("purpose", purpose("Research"), "?dryRun=false");
    await server.call("GET", "/api/v2/purpose/Research");
    await server.call("DELETE", "/api/v2/project/no%20such");
    await server.call("GET", "/nowhere");
    expect(server.requests()).toEqual([
      {
        method: "POST",
        path: "/api/v2/purpose",
        query: { dryRun: "false" },
        status: 200,
        kind: "purpose",
        key: "Research",
      },
      {
        method: "GET",
        path: "/api/v2/purpose/Research",
        query: {},
        status: 200,
        kind: "purpose",
        key: "Research",
      },
      {
        method: "DELETE",
        path: "/api/v2/project/no%20such",
        query: {},
        status: 404,
        kind: "project",
        key: "no such",
      },
      { method: "GET", path: "/nowhere", query: {}, status: 404 },
    ]);
    await server.close();
  });
});

test("the request log keeps the latest requestLogLimit requests", async () => {
  const server = await serve({ requestLogLimit: 2 });
  for (const name of ["A", "B", "C"]) await server.post("purpose", purpose(name));
  expect(server.requests().map((r) => r.key)).toEqual(["B", "C"]);
  await server.close();
});

describe("concurrency", () => {
  test("concurrent POSTs are applied one at a time: every one answered, no torn state", async () => {
    const server = await serve();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0
          ? server.post("purpose", purpose(`P${i}`))
          : server.post("project", project(`Q${i}`)),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const ids = answers.filter((_, i) => i % 2 === 0).map((a) => a.body.purposeId);
    expect(new Set(ids).size).toBe(20);
    expect((await server.call("GET", "/api/v2/purpose")).body).toHaveLength(20);
    await server.close();
  });
});
