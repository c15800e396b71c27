/**
 * `immuta_data_source` of Immuta's Terraform provider against the embedded server, request by
 * request as its code path sends them (`immuta/resource_data_source.go`): create and update POST
 * the connection without `sources`; read (plan, refresh, import) probes with a dry-run DELETE and
 * takes 200 as "exists" and an error containing "404" as "gone"; destroy DELETEs.
 */
import { project, purpose, serve, type TestServer } from "../support";
import { DataSourceResponse, dataSourceInput, goDecode, providerRequest } from "./provider";

const KEY = "tf-key";
const AS_KEY = { auth: KEY };
/** `DataSourceConnection` as the provider marshals it from `connection_details`. */
const CONNECTION = {
  handler: "Snowflake",
  hostname: "acme.snowflakecomputing.com",
  port: 443,
  database: "ANALYTICS",
  schema: "public",
  username: "svc",
  password: "pw",
  warehouse: "COMPUTE_WH",
};

let server: TestServer;
beforeEach(async () => {
  server = await serve({ apiKeys: [{ key: KEY }] });
});
afterEach(() => server.close());

const call = (method: "GET" | "POST" | "DELETE", path: string, options = {}) =>
  providerRequest(server.url, KEY, method, path, options);
/** `UpsertDataSource`. */
const upsert = (connection: Record<string, unknown> = CONNECTION) =>
  call("POST", "/api/v2/data", {
    query: { dryRun: "false" },
    params: dataSourceInput("dwh", connection),
  });
/** `ConfirmDataSourceExists`: true on 2xx, false on an error naming 404, else its error. */
async function exists(connectionKey: string): Promise<boolean> {
  const answer = await call("DELETE", `/api/v2/data/${connectionKey}`, {
    query: { dryRun: "true" },
  });
  if (answer.error === undefined) {
    goDecode(DataSourceResponse, answer.body);
    return true;
  }
  if (answer.error.includes("404")) return false;
  throw new Error(answer.error);
}

test("create: the response decodes; the connection's schema limits the tables registered", async () => {
  const created = await upsert();
  expect(created.status).toBe(200);
  expect(goDecode(DataSourceResponse, created.body)).toMatchObject({
    creating: ["public.customers", "public.orders", "public.payments"],
    deleting: [],
  });
});

test("plan: a connection whose data sources a project names still exists (200, not 409)", async () => {
  await upsert();
  await server.post("purpose", purpose("Fraud detection"), "", AS_KEY);
  await server.post("project", project("fraud", { datasources: ["public.customers"] }), "", AS_KEY);
  expect(await exists("dwh")).toBe(true);
  // The probe is a dry run: the project keeps its data source.
  expect(
    (await server.call("GET", "/api/v2/project/fraud", undefined, AS_KEY)).body.datasources,
  ).toEqual(["public.customers"]);
});

test("update: a changed connection re-POSTs and answers what changed", async () => {
  await upsert();
  const updated = await upsert({ ...CONNECTION, schema: "marketing" });
  expect(goDecode(DataSourceResponse, updated.body)).toMatchObject({
    creating: ["marketing.campaigns", "marketing.leads"],
  });
  // Omitted from the provider's struct, but said: the public tables are disabled.
  expect(updated.body).toMatchObject({
    disabling: ["public.customers", "public.orders", "public.payments"],
  });
});

test("destroy: DELETE, which takes the data sources out of a project naming them; then gone", async () => {
  await upsert();
  await server.post("project", project("fraud", { datasources: ["public.orders"] }), "", AS_KEY);
  const deleted = await call("DELETE", "/api/v2/data/dwh");
  expect(deleted.error).toBeUndefined();
  expect(
    (await server.call("GET", "/api/v2/project/fraud", undefined, AS_KEY)).body.datasources,
  ).toEqual([]);
  expect(await exists("dwh")).toBe(false);
});

test("import: the read before connection_key is known probes /api/v2/data/, which is a 404", async () => {
  await upsert();
  // ImportStatePassthroughID sets only `id`; Read sends the still-empty connection_key.
  expect(await exists("")).toBe(false);
  expect((await server.call("GET", "/api/v2/data/", undefined, AS_KEY)).status).toBe(404);
  const post = await server.call("POST", "/api/v2/data/", {}, AS_KEY);
  expect(post.status).toBe(405);
});
