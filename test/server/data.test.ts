/** POST /api/v2/data: one connection's data sources, with full replacement. */
import { ACME, TEST_USER, acme, serve, table, type TestServer } from "./support";

/** The value with every object's keys in reverse order (arrays keep theirs). */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, inner]) => [key, reverseKeys(inner)]),
  );
}

const sources = async (server: TestServer, key = "acme") =>
  (await server.call("GET", `/api/v2/data/${key}`)).body.dataSources;

describe("POST /api/v2/data", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await serve();
  });
  afterEach(() => server.close());

  test("creates one data source per listed table, named <schema>.<tablename> by default", async () => {
    const answer = await server.post(
      "data",
      acme({ sources: [table("customers"), table("orders")] }),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      dryRun: false,
      creating: ["public.customers", "public.orders"],
      updating: [],
      deleting: [],
      noChange: [],
      disabling: [],
      detectionRunning: true,
      tagsUpdated: false,
    });
  });

  test("the same payload again changes nothing", async () => {
    const payload = acme({ sources: [table("customers")], options: { tableTags: ["A"] } });
    await server.post("data", payload);
    const before = await server.call("GET", "/api/v2/data/acme");
    const again = await server.post("data", payload);
    expect(again.body).toMatchObject({
      creating: [],
      updating: [],
      noChange: ["public.customers"],
      detectionRunning: false,
      tagsUpdated: false,
    });
    expect((await server.call("GET", "/api/v2/data/acme")).text).toBe(before.text);
  });

  test("the same payload with its keys in another order changes nothing, updatedAt included", async () => {
    const payload = acme({ sources: [table("customers")], options: { tableTags: ["A"] } });
    await server.post("data", payload);
    const before = await server.call("GET", "/api/v2/data/acme");
    const again = await server.post("data", reverseKeys(payload));
    expect(again.body).toMatchObject({ updating: [], noChange: ["public.customers"] });
    expect((await server.call("GET", "/api/v2/data/acme")).text).toBe(before.text);
  });

  test("a changed source is updated", async () => {
    await server.post("data", acme({ sources: [table("customers")] }));
    const answer = await server.post(
      "data",
      acme({ sources: [table("customers", "public", { tags: { table: ["PII"] } })] }),
    );
    expect(answer.body).toMatchObject({ updating: ["public.customers"], tagsUpdated: true });
  });

  test("seed scenario: a second POST with a different table leaves one source; the first is disabled without hardDelete", async () => {
    await server.post("data", acme({ sources: [table("customers")] }));
    const answer = await server.post("data", acme({ sources: [table("orders")] }));
    expect(answer.body).toMatchObject({
      creating: ["public.orders"],
      disabling: ["public.customers"],
      deleting: [],
    });
    expect(await sources(server)).toEqual([
      expect.objectContaining({ name: "public.orders", status: "active" }),
      expect.objectContaining({ name: "public.customers", status: "disabled" }),
    ]);
  });

  test("seed scenario: ... and deleted with hardDelete", async () => {
    await server.post("data", acme({ sources: [table("customers")] }));
    const answer = await server.post(
      "data",
      acme({ sources: [table("orders")], options: { hardDelete: true } }),
    );
    expect(answer.body).toMatchObject({
      creating: ["public.orders"],
      deleting: ["public.customers"],
    });
    expect((await sources(server)).map((s: { name: string }) => s.name)).toEqual(["public.orders"]);
  });

  test("seed scenario: tableTags [A, B] then [C] leaves only C on every source", async () => {
    const both = [table("customers"), table("orders")];
    await server.post("data", acme({ sources: both, options: { tableTags: ["A", "B"] } }));
    const answer = await server.post(
      "data",
      acme({ sources: both, options: { tableTags: ["C"] } }),
    );
    expect(answer.body).toMatchObject({
      updating: ["public.customers", "public.orders"],
      tagsUpdated: true,
    });
    for (const source of await sources(server)) expect(source.tableTags).toEqual(["C"]);
  });

  test("column tags are replaced, not merged", async () => {
    const tagged = (tags: string[]) =>
      acme({
        sources: [
          table("customers", "public", { tags: { columns: [{ columnName: "email", tags }] } }),
        ],
      });
    await server.post("data", tagged(["PII", "Email"]));
    await server.post("data", tagged(["Contact"]));
    expect((await sources(server))[0].columnTags).toEqual([
      { columnName: "email", tags: ["Contact"] },
    ]);
  });

  test("a disabled source that reappears is re-enabled", async () => {
    await server.post("data", acme({ sources: [table("customers")] }));
    await server.post("data", acme({ sources: [table("orders")] }));
    const answer = await server.post(
      "data",
      acme({ sources: [table("customers"), table("orders")] }),
    );
    expect(answer.body).toMatchObject({
      updating: ["public.customers"],
      noChange: ["public.orders"],
    });
    expect((await sources(server)).every((s: { status: string }) => s.status === "active")).toBe(
      true,
    );
  });

  test("omitted sources, or { all: true }, mean every table the catalog lists for the connection", async () => {
    const omitted = await server.post("data", acme());
    expect(omitted.body.creating).toEqual([
      "public.customers",
      "public.orders",
      "public.payments",
      "marketing.campaigns",
      "marketing.leads",
    ]);
    const all = await server.post("data", acme({ sources: [{ all: true }] }));
    expect(all.body.noChange).toHaveLength(5);
  });

  test("a connection's schema limits omitted sources, and { all: true }, to that schema's tables", async () => {
    const connection = { ...ACME, schema: "PUBLIC" };
    const omitted = await server.post("data", acme({ connection }));
    expect(omitted.body.creating).toEqual(["public.customers", "public.orders", "public.payments"]);
    const all = await server.post("data", acme({ connection, sources: [{ all: true }] }));
    expect(all.body.noChange).toHaveLength(3);
    // Tables named explicitly are taken from any schema.
    const explicit = await server.post(
      "data",
      acme({ connection, sources: [table("leads", "marketing"), { all: true }] }),
    );
    expect(explicit.body.creating).toEqual(["marketing.leads"]);
    // Another schema: the other tables are disabled, as for any table a payload no longer lists.
    const other = await server.post("data", acme({ connection: { ...ACME, schema: "marketing" } }));
    expect(other.body).toMatchObject({
      creating: ["marketing.campaigns"],
      updating: ["marketing.leads"], // the connection changed: every kept source is updated
      disabling: ["public.customers", "public.orders", "public.payments"],
    });
  });

  test("a connection's schema the catalog does not have is a 400 naming the schemas it has", async () => {
    const answer = await server.post("data", acme({ connection: { ...ACME, schema: "sales" } }));
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      "connection.schema: no schema \"sales\" in ANALYTICS on acme.snowflakecomputing.com (it has public, marketing); a connection's schema limits its data sources to that schema's tables",
    );
  });

  test("explicit tables keep their own naming and tags next to { all: true }", async () => {
    const answer = await server.post(
      "data",
      acme({
        sources: [
          table("customers", "public", { naming: { datasource: "Customers" } }),
          { all: true },
        ],
      }),
    );
    expect(answer.body.creating).toEqual([
      "customers",
      "public.orders",
      "public.payments",
      "marketing.campaigns",
      "marketing.leads",
    ]);
  });

  test("nameTemplate placeholders are replaced literally and the name lower-cased", async () => {
    const answer = await server.post(
      "data",
      acme({
        nameTemplate: { dataSourceFormat: "<Database> <schema> <TABLENAME>" },
        sources: [table("customers")],
      }),
    );
    expect(answer.body.creating).toEqual(["analytics public customers"]);
  });

  test("empty nameTemplate formats mean the default (as Immuta's Terraform provider sends)", async () => {
    const answer = await server.post(
      "data",
      acme({
        nameTemplate: {
          dataSourceFormat: "",
          tableFormat: "",
          schemaFormat: "",
          schemaProjectNameFormat: "",
        },
        sources: [table("orders")],
      }),
    );
    expect(answer.body.creating).toEqual(["public.orders"]);
  });

  test("owners absent leaves them unchanged; [] removes all but the caller", async () => {
    const owners = [
      { type: "group", name: "Stewards" },
      { type: "user", name: "bob" },
    ];
    await server.post("data", acme({ sources: [table("customers")], owners }));
    const dataOwners = async () => (await server.call("GET", "/api/v2/data/acme")).body.dataOwners;
    expect(await dataOwners()).toEqual([{ type: "user", name: TEST_USER }, ...owners]);
    await server.post("data", acme({ sources: [table("customers")] }));
    expect(await dataOwners()).toHaveLength(3);
    await server.post("data", acme({ sources: [table("customers")], owners: [] }));
    expect(await dataOwners()).toEqual([{ type: "user", name: TEST_USER }]);
  });

  test("changed connection details delete the old data sources and create new ones", async () => {
    await server.post("data", acme({ sources: [table("customers")] }));
    const answer = await server.post(
      "data",
      acme({
        connection: { ...ACME, hostname: "dwh.internal.example" },
        sources: [table("customers")],
      }),
    );
    expect(answer.body).toMatchObject({
      creating: ["public.customers"],
      deleting: ["public.customers"],
      noChange: [],
    });
  });

  test("a changed password updates every source but recreates none", async () => {
    await server.post("data", acme({ sources: [table("customers")] }));
    const answer = await server.post(
      "data",
      acme({ connection: { ...ACME, password: "rotated" }, sources: [table("customers")] }),
    );
    expect(answer.body).toMatchObject({
      updating: ["public.customers"],
      creating: [],
      deleting: [],
    });
  });

  test("the same connection under a second connectionKey is refused", async () => {
    await server.post("data", acme({ sources: [table("customers")] }));
    const answer = await server.post("data", {
      ...acme({ sources: [table("orders")] }),
      connectionKey: "acme-2",
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain(
      "You may only define data sources for the same connection once.",
    );
    expect(answer.body.message).toContain('"acme"');
  });

  test("a connection the catalog does not list cannot connect", async () => {
    const answer = await server.post(
      "data",
      acme({ connection: { ...ACME, hostname: "nowhere.example" } }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(
      /^connection: cannot connect to Snowflake at nowhere\.example, database ANALYTICS/,
    );
  });

  test("hostname and database match the catalog whatever their letter case", async () => {
    const answer = await server.post(
      "data",
      acme({
        connection: { ...ACME, hostname: "ACME.snowflakecomputing.com", database: "analytics" },
        sources: [table("Customers", "PUBLIC")],
      }),
    );
    expect(answer.body.creating).toEqual(["public.customers"]);
  });

  test("unknown tables, schemas and columns are 400s naming each, one per line", async () => {
    const answer = await server.post(
      "data",
      acme({
        sources: [
          table("customers", "public", {
            tags: { columns: [{ columnName: "ssn", tags: ["PII"] }] },
          }),
          table("nope"),
          table("x", "nowhere"),
        ],
      }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.message.split("\n")).toEqual([
      'sources[0].tags.columns[0].columnName: no column "ssn" in public.customers (it has id, email, name, country, created_at)',
      'sources[1].table: no table "nope" in schema "public" of ANALYTICS on acme.snowflakecomputing.com (it has customers, orders, payments)',
      'sources[2].schema: no schema "nowhere" in ANALYTICS on acme.snowflakecomputing.com',
    ]);
    expect((await server.call("GET", "/api/v2/data")).body).toEqual([]);
  });

  test("two sources with the same name are refused", async () => {
    const answer = await server.post(
      "data",
      acme({
        nameTemplate: { dataSourceFormat: "<schema>" },
        sources: [table("customers"), table("orders")],
      }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('sources[1]: gives the data source name "public"');
  });

  test("a data source name another connection holds is refused", async () => {
    await server.post("data", acme({ sources: [table("customers")] }));
    const answer = await server.post("data", {
      connectionKey: "dwh",
      connection: { ...ACME, hostname: "dwh.internal.example" },
      sources: [table("customers")],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('"public.customers" is taken by connection "acme"');
  });

  test("query sources take their name from naming.datasource", async () => {
    const answer = await server.post(
      "data",
      acme({ sources: [{ query: "select 1", naming: { datasource: "Big Spenders" } }] }),
    );
    expect(answer.body.creating).toEqual(["big spenders"]);
    const missing = await server.post(
      "data",
      acme({ sources: [{ query: "select 1", naming: {} }] }),
    );
    expect(missing.body.message).toBe(
      "sources[0].naming.datasource: required for a query source: the name of its data source",
    );
  });

  test("dryRun answers exactly what the real call answers, and changes nothing", async () => {
    await server.post("data", acme({ sources: [table("customers"), table("orders")] }));
    const next = acme({
      sources: [table("orders"), table("payments")],
      options: { tableTags: ["X"] },
    });
    const before = (await server.call("GET", "/api/v2/data/acme")).text;
    const dry = await server.post("data", next, "?dryRun=true");
    expect((await server.call("GET", "/api/v2/data/acme")).text).toBe(before);
    const real = await server.post("data", next, "?dryRun=false");
    expect(dry.text).toBe(real.text.replace('"dryRun":false', '"dryRun":true'));
  });

  test("a dry run of a new connection creates nothing", async () => {
    const dry = await server.post("data", acme(), "?dryRun=true");
    expect(dry.body.creating).toHaveLength(5);
    expect((await server.call("GET", "/api/v2/data")).body).toEqual([]);
    expect((await server.call("GET", "/api/v2/data/acme")).status).toBe(404);
  });

  test("an invalid wait is a 400", async () => {
    const answer = await server.post("data", acme(), "?wait=abc");
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      'query parameter wait must be a number of seconds (got "abc")',
    );
  });
});

describe("asynchronous creation", () => {
  test("new sources are creating until the delay has passed; wait=0 returns at once listing them as pending", async () => {
    const server = await serve({ creationDelayMs: 60_000 });
    const answer = await server.post("data", acme({ sources: [table("customers")] }));
    expect(answer.body.pending).toEqual(["public.customers"]);
    expect((await sources(server))[0].status).toBe("creating");
    await server.close();
  });

  test("wait > 0 blocks until the sources are ready", async () => {
    const server = await serve({ creationDelayMs: 150 });
    const started = Date.now();
    const answer = await server.post("data", acme({ sources: [table("customers")] }), "?wait=5");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(answer.body.pending).toBeUndefined();
    expect((await sources(server))[0].status).toBe("active");
    await server.close();
  });

  test("wait < 0 waits indefinitely; a short wait returns with what is still pending", async () => {
    const server = await serve({ creationDelayMs: 200 });
    const short = await server.post("data", acme({ sources: [table("customers")] }), "?wait=0.05");
    expect(short.body.pending).toEqual(["public.customers"]);
    const forever = await server.post("data", acme({ sources: [table("orders")] }), "?wait=-1");
    expect(forever.body.pending).toBeUndefined();
    await server.close();
  });
});
