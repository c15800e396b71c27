/** POST /api/v2/project: projects, whose purposes and data sources must exist. */
import { acme, project, purpose, serve, table, type TestServer } from "./support";

describe("POST /api/v2/project", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await serve();
    await server.post(
      "purpose",
      purpose("Research", { subpurposes: [{ name: "Research.Clinical" }] }),
    );
    await server.post("data", acme({ sources: [table("customers"), table("orders")] }));
  });
  afterEach(() => server.close());

  test("creates, updates and reports no change, with a stable projectId and counts of data sources", async () => {
    const created = await server.post(
      "project",
      project("churn", { purposes: ["Research.Clinical"], datasources: ["public.customers"] }),
    );
    expect(created.body).toEqual({
      dryRun: false,
      creating: true,
      updating: false,
      numberOfDataSourcesAdded: 1,
      numberOfDataSourcesRemoved: 0,
      creatingWorkspace: false,
      deletingWorkspace: false,
      projectId: 1,
    });
    const updated = await server.post(
      "project",
      project("churn", { datasources: ["public.orders"] }),
    );
    expect(updated.body).toMatchObject({
      creating: false,
      updating: true,
      numberOfDataSourcesAdded: 1,
      numberOfDataSourcesRemoved: 1,
      projectId: 1,
    });
    const same = await server.post("project", project("churn", { datasources: ["public.orders"] }));
    expect(same.body).toMatchObject({
      creating: false,
      updating: false,
      numberOfDataSourcesAdded: 0,
    });
  });

  test("dryRun answers what the real call would, and stores nothing", async () => {
    const payload = project("churn", {
      workspace: { type: "snowflake", config: { schema: "ws" } },
    });
    const dry = await server.post("project", payload, "?dryRun=true");
    expect((await server.call("GET", "/api/v2/project")).body).toEqual([]);
    const real = await server.post("project", payload);
    expect(dry.body).toEqual({ ...real.body, dryRun: true });
    expect(real.body.creatingWorkspace).toBe(true);
  });

  test("removing the workspace deletes it", async () => {
    await server.post("project", project("ws", { workspace: { type: "databricks", config: {} } }));
    const answer = await server.post("project", project("ws"));
    expect(answer.body).toMatchObject({ deletingWorkspace: true, creatingWorkspace: false });
  });

  test("missing purposes and data sources are 400s naming each", async () => {
    const answer = await server.post(
      "project",
      project("p", {
        purposes: ["Research", "Marketing"],
        datasources: ["public.customers", "public.nope"],
      }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      'purposes[1]: no purpose named "Marketing"\ndatasources[1]: no data source named "public.nope"',
    );
  });

  test("allowedMaskedJoins is accepted as an alias and stored as allowMaskedJoins", async () => {
    await server.post("project", project("p", { allowedMaskedJoins: true }));
    const stored = (await server.call("GET", "/api/v2/project/p")).body;
    expect(stored.allowMaskedJoins).toBe(true);
    expect(stored.allowedMaskedJoins).toBeUndefined();
  });

  test("deleteDataSourcesOnWorkspaceDelete is a boolean flag kept with the project", async () => {
    const bad = await server.post("project", project("p"), "?deleteDataSourcesOnWorkspaceDelete=1");
    expect(bad.status).toBe(400);
    await server.post("project", project("p"), "?deleteDataSourcesOnWorkspaceDelete=true");
    expect(
      (await server.call("GET", "/api/v2/project/p")).body.deleteDataSourcesOnWorkspaceDelete,
    ).toBe(true);
  });

  test("a purpose a project uses cannot be deleted (409 naming the project); its connection can", async () => {
    await server.post(
      "project",
      project("churn", { purposes: ["Research.Clinical"], datasources: ["public.orders"] }),
    );
    const purposeDelete = await server.call("DELETE", "/api/v2/purpose/Research");
    expect(purposeDelete.status).toBe(409);
    expect(purposeDelete.body.message).toBe(
      'purpose "Research" is in use by project "churn" (purposes "Research.Clinical"); remove it from that project first',
    );
    // The data sources leave the project instead (test/server/cascade.test.ts).
    expect((await server.call("DELETE", "/api/v2/data/acme?dryRun=true")).status).toBe(200);
    expect((await server.call("DELETE", "/api/v2/project/churn")).status).toBe(200);
    expect((await server.call("DELETE", "/api/v2/purpose/Research")).status).toBe(200);
    expect((await server.call("DELETE", "/api/v2/data/acme")).status).toBe(200);
  });
});
