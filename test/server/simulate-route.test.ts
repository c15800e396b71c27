/**
 * POST /api/v2/simulate [ours] routed by the embedded server, behind the V2 API's checks: method,
 * key, permission (GOVERNANCE), query, Content-Type, in that order, before the body is read. The
 * answers themselves are the handler's (test/server/simulate.test.ts).
 */
import { acme, serve, table, type TestServer } from "./support";

const STEWARD = "steward-key";
const DATA_OWNER = "owner-key";

describe("POST /api/v2/simulate", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve({
      apiKeys: [
        { key: STEWARD, user: "steward" },
        { key: DATA_OWNER, permissions: ["CREATE_DATA_SOURCE"], user: "owner" },
      ],
    });
    const auth = { auth: STEWARD };
    expect((await server.post("data", acme({ sources: [table("orders")] }), "", auth)).status).toBe(
      200,
    );
  });
  afterAll(() => server.close());

  test("answers the access report for what the server holds, from JSON or YAML", async () => {
    const json = await server.call(
      "POST",
      "/api/v2/simulate",
      { user: { groups: ["Analysts"] } },
      { auth: STEWARD },
    );
    expect(json.status).toBe(200);
    expect(json.body.dataSources.map((d: { name: string }) => d.name)).toEqual(["public.orders"]);
    const yaml = await server.call("POST", "/api/v2/simulate", "user:\n  groups: [Analysts]\n", {
      auth: STEWARD,
      contentType: "application/yaml",
    });
    expect(yaml.body).toEqual(json.body);
  });

  test("only POST: another method is 405 with Allow", async () => {
    const answer = await server.call("GET", "/api/v2/simulate", undefined, { auth: STEWARD });
    expect(answer.status).toBe(405);
    expect(answer.body.message).toBe("GET is not supported on /api/v2/simulate");
  });

  test("needs a key, and the GOVERNANCE permission", async () => {
    const body = { user: {} };
    expect((await server.call("POST", "/api/v2/simulate", body, { auth: null })).status).toBe(401);
    const owner = await server.call("POST", "/api/v2/simulate", body, { auth: DATA_OWNER });
    expect(owner.status).toBe(403);
    expect(owner.body.message).toBe(
      "This API key lacks the GOVERNANCE permission, which POST /api/v2/simulate requires",
    );
  });

  test("takes no query parameter, and only JSON or YAML bodies", async () => {
    const query = await server.call(
      "POST",
      "/api/v2/simulate?dryRun=true",
      { user: {} },
      { auth: STEWARD },
    );
    expect(query.status).toBe(400);
    expect(query.body.message).toContain('unknown query parameter "dryRun"');
    const xml = await server.call("POST", "/api/v2/simulate", "<user/>", {
      auth: STEWARD,
      contentType: "application/xml",
    });
    expect(xml.status).toBe(415);
    const bad = await server.call("POST", "/api/v2/simulate", "{", { auth: STEWARD });
    expect(bad.status).toBe(400);
  });

  test("a bad request names the field", async () => {
    const answer = await server.call(
      "POST",
      "/api/v2/simulate",
      { user: { groups: "Analysts" } },
      { auth: STEWARD },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe("user.groups: must be a list of strings");
  });

  test("the 404 of an unknown path lists it among the routes served", async () => {
    const answer = await server.call("POST", "/api/v2/simulation", {}, { auth: STEWARD });
    expect(answer.status).toBe(404);
    expect(answer.body.message).toContain("/api/v2/simulate [ours]");
  });
});
