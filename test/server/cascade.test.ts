/**
 * Data sources that stop existing leave the projects that name them (issue 14.2): a connection
 * deleted, dry run or not (Immuta's own Terraform provider probes a connection with a dry-run
 * DELETE and accepts only 200 or 404), and a POST that disables or hard-deletes sources. The
 * response says what left which project; purposes in use keep their 409.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SECRET_PATHS_HEADER } from "../../src/payload/secrets";
import { acme, project, purpose, serve, table, type TestServer } from "./support";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const ALL_THREE = [table("customers"), table("orders"), table("payments")];

/** A connection of three sources, and two projects naming some of them. */
async function governed(server: TestServer) {
  await server.post("purpose", purpose("Research"));
  expect((await server.post("data", acme({ sources: ALL_THREE }))).status).toBe(200);
  await server.post(
    "project",
    project("fraud", {
      purposes: ["Research"],
      datasources: ["public.payments", "public.customers", "public.orders"],
    }),
  );
  await server.post("project", project("churn", { datasources: ["public.customers"] }));
}

const datasourcesOf = async (server: TestServer, key: string) =>
  (await server.call("GET", `/api/v2/project/${key}`)).body.datasources;

describe("DELETE /api/v2/data/{connectionKey} of a connection whose data sources projects name", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await serve();
    await governed(server);
  });
  afterEach(() => server.close());

  test("deletes it, takes its data sources out of those projects, and says which left which", async () => {
    const before = (await server.call("GET", "/api/v2/project/fraud")).body;
    const answer = await server.call("DELETE", "/api/v2/data/acme");
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      dryRun: false,
      deleted: "acme",
      removedFromProjects: [
        { projectKey: "churn", datasources: ["public.customers"] },
        {
          projectKey: "fraud",
          datasources: ["public.payments", "public.customers", "public.orders"],
        },
      ],
    });
    expect((await server.call("GET", "/api/v2/data")).body).toEqual([]);
    const after = (await server.call("GET", "/api/v2/project/fraud")).body;
    // Only the data sources change: the project keeps its id, purposes and creation time.
    expect(after).toEqual({ ...before, datasources: [], updatedAt: after.updatedAt });
    expect(await datasourcesOf(server, "churn")).toEqual([]);
    // The project can be posted again as it was once the connection is back.
    expect((await server.post("data", acme({ sources: ALL_THREE }))).status).toBe(200);
    expect(
      (await server.post("project", project("churn", { datasources: ["public.customers"] }))).body,
    ).toMatchObject({ numberOfDataSourcesAdded: 1 });
  });

  test("a dry run answers the same (200, as Immuta's provider needs) and changes nothing", async () => {
    const views = async () => [
      (await server.call("GET", "/api/v2/data/acme")).text,
      (await server.call("GET", "/api/v2/project/fraud")).text,
      (await server.call("GET", "/api/v2/project/churn")).text,
    ];
    const before = await views();
    const dry = await server.call("DELETE", "/api/v2/data/acme?dryRun=true");
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, deleted: "acme" });
    expect(dry.body.removedFromProjects).toHaveLength(2);
    expect(await views()).toEqual(before);
    const real = await server.call("DELETE", "/api/v2/data/acme");
    expect({ ...real.body, dryRun: true }).toEqual(dry.body);
  });

  test("a connection no project uses is deleted without removedFromProjects", async () => {
    await server.call("DELETE", "/api/v2/project/fraud");
    await server.call("DELETE", "/api/v2/project/churn");
    expect((await server.call("DELETE", "/api/v2/data/acme")).body).toEqual({
      dryRun: false,
      deleted: "acme",
    });
  });

  test("a purpose a project names is still refused with 409", async () => {
    const refused = await server.call("DELETE", "/api/v2/purpose/Research");
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('in use by project "fraud"');
  });

  test("a value marked as a secret stays redacted in the rewritten project, at its new place", async () => {
    // Marked as a client marks the values it resolved from $env (here a data source name too).
    const posted = await fetch(`${server.url}/api/v2/project`, {
      method: "POST",
      headers: {
        authorization: "Bearer test-key",
        "content-type": "application/json",
        [SECRET_PATHS_HEADER]: "/description,/datasources/2",
      },
      body: JSON.stringify(
        project("marked", {
          description: "from a secret",
          datasources: ["public.orders", "public.payments", "public.customers"],
        }),
      ),
    });
    expect(posted.status).toBe(200);
    await server.post("data", acme({ sources: [table("customers"), table("payments")] }));
    const view = (await server.call("GET", "/api/v2/project/marked")).body;
    expect(view.description).toBe("[redacted]");
    expect(view.datasources).toEqual(["public.payments", "[redacted]"]);
  });
});

describe("POST /api/v2/data that disables or hard-deletes sources projects name", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await serve();
    await governed(server);
  });
  afterEach(() => server.close());

  test("disabling takes them out of the projects, says so, and keeps the disabled source", async () => {
    const answer = await server.post("data", acme({ sources: [table("orders")] }));
    expect(answer.body).toMatchObject({
      disabling: ["public.customers", "public.payments"],
      removedFromProjects: [
        { projectKey: "churn", datasources: ["public.customers"] },
        { projectKey: "fraud", datasources: ["public.payments", "public.customers"] },
      ],
    });
    expect(await datasourcesOf(server, "fraud")).toEqual(["public.orders"]);
    expect(await datasourcesOf(server, "churn")).toEqual([]);
    const sources = (await server.call("GET", "/api/v2/data/acme")).body.dataSources;
    expect(sources.map((s: { status: string }) => s.status)).toEqual([
      "active",
      "disabled",
      "disabled",
    ]);
  });

  test("hard-deleting does the same; a dry run answers it and changes nothing", async () => {
    const payload = acme({ sources: [table("customers")], options: { hardDelete: true } });
    const dry = await server.post("data", payload, "?dryRun=true");
    expect(dry.body).toMatchObject({
      dryRun: true,
      deleting: ["public.orders", "public.payments"],
      removedFromProjects: [
        { projectKey: "fraud", datasources: ["public.payments", "public.orders"] },
      ],
    });
    expect(await datasourcesOf(server, "fraud")).toHaveLength(3);
    const real = await server.post("data", payload);
    expect({ ...real.body, dryRun: true }).toEqual(dry.body);
    expect(await datasourcesOf(server, "fraud")).toEqual(["public.customers"]);
  });

  test("a POST that removes no named source has no removedFromProjects", async () => {
    const answer = await server.post(
      "data",
      acme({ sources: ALL_THREE, options: { tableTags: ["PII"] } }),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.removedFromProjects).toBeUndefined();
  });

  test("sources recreated under their own names (new connection details) stay in their projects", async () => {
    const answer = await server.post(
      "data",
      acme({ connection: { ...acme().connection, port: 8443 }, sources: ALL_THREE }),
    );
    expect(answer.body.deleting).toHaveLength(3);
    expect(answer.body.creating).toHaveLength(3);
    expect(answer.body.removedFromProjects).toBeUndefined();
    expect(await datasourcesOf(server, "fraud")).toHaveLength(3);
  });
});

describe("the cascade on disk", () => {
  test("the connection's removal and the projects' rewrite survive a restart together", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "immuta-v2-cascade-"));
    dirs.push(dataDir);
    const first = await serve({ dataDir });
    await governed(first);
    await first.call("DELETE", "/api/v2/data/acme");
    await first.post("data", { ...acme({ sources: [table("orders")] }), connectionKey: "acme-2" });
    await first.post("project", project("churn", { datasources: ["public.orders"] }));
    await first.post("data", { ...acme({ sources: [] }), connectionKey: "acme-2" });
    await first.close();

    const second = await serve({ dataDir });
    expect((await second.call("GET", "/api/v2/data")).body).toEqual(["acme-2"]);
    expect(await datasourcesOf(second, "fraud")).toEqual([]);
    expect(await datasourcesOf(second, "churn")).toEqual([]);
    await second.close();
  });
});
