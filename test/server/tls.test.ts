/**
 * HTTPS, and the calls Immuta's own Terraform provider makes (spec, "Clients in the wild"): it
 * speaks HTTPS only, sends `Bearer` keys and `?dryRun=false`, probes existence with a dry-run
 * DELETE, sends empty nameTemplate formats and names userFiles fields `key` and `fileName`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { selfSignedCertificate } from "./fixtures/self-signed";
import { Agent, serve, type TestServer } from "./support";

let dir: string;
let server: TestServer;
let agent: Agent;

beforeAll(async () => {
  const { cert, key } = selfSignedCertificate();
  dir = mkdtempSync(join(tmpdir(), "immuta-v2-tls-"));
  writeFileSync(join(dir, "cert.pem"), cert);
  // A path works as well as PEM text: the CLI passes files, tests may pass either.
  server = await serve({ tlsCert: join(dir, "cert.pem"), tlsKey: key });
  agent = new Agent({ connect: { ca: cert } });
});

afterAll(async () => {
  await agent.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** As Immuta's Terraform provider calls: Bearer key, over HTTPS (trusting the test's certificate). */
const asTerraform = () => ({ auth: "Bearer tf-key", dispatcher: agent });

test("serves HTTPS with the given certificate", async () => {
  expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const answer = await server.call("GET", "/api/v2/data", undefined, asTerraform());
  expect(answer).toMatchObject({ status: 200, body: [] });
});

test("Immuta's Terraform provider's data source calls work unchanged", async () => {
  const options = asTerraform();
  const payload = {
    connectionKey: "my-databricks",
    connection: {
      handler: "Databricks",
      hostname: "dbc-1234.cloud.databricks.com",
      port: 443,
      database: "main",
      httpPath: "/sql/1.0/warehouses/abc",
      ssl: true,
      authenticationMethod: "token",
      username: "token",
      password: "dapi-secret",
      userFiles: [{ key: "KeyFilePath", fileName: "key.json", content: "e30=" }],
    },
    nameTemplate: {
      dataSourceFormat: "",
      tableFormat: "",
      schemaFormat: "",
      schemaProjectNameFormat: "",
    },
    sources: [{ table: "credit_card_transactions", schema: "data", tags: { table: ["PCI"] } }],
  };
  const created = await server.call("POST", "/api/v2/data?dryRun=false", payload, options);
  expect(created.status).toBe(200);
  // The fields the provider reads.
  expect(created.body).toMatchObject({
    dryRun: false,
    creating: ["data.credit_card_transactions"],
    updating: [],
    deleting: [],
    noChange: [],
    detectionRunning: true,
    tagsUpdated: true,
  });
  const probe = await server.call(
    "DELETE",
    "/api/v2/data/my-databricks?dryRun=true",
    undefined,
    options,
  );
  expect(probe.status).toBe(200);
  expect(
    (await server.call("DELETE", "/api/v2/data/my-databricks?dryRun=false", undefined, options))
      .status,
  ).toBe(200);
  const gone = await server.call(
    "DELETE",
    "/api/v2/data/my-databricks?dryRun=true",
    undefined,
    options,
  );
  expect(gone.status).toBe(404);
  expect(gone.body.statusCode).toBe(404);
});
