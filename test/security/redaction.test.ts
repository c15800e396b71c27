/**
 * Issue 12, item 5: secrets never come back, whatever their field: every field a handler's
 * schema makes secret (tokens, private keys, passphrases, ...) and everything under it, and every
 * value that arrived as a secret (a `$env` placeholder, marked by the client); on every read path
 * of the server, and in the CLI's output, whatever a server sends.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { formatSecretPaths, resolveSecrets } from "../../src/payload/secrets";
import { cli } from "../cli/harness";
import { serve, table } from "../server/support";
import { tempDir } from "./support";

const TOKEN = "dapi-token-Jx81qPz0Lm";
const PASSPHRASE = "key-passphrase-Gh27sVb9";
const PRIVATE_KEY = "LS0tLS1CRUdJTi1QUklWQVRFLUtFWS0tLS0t";
const OWNER_FROM_ENV = "svc-user-from-env-Yt63";

const databricks = (connection: Record<string, unknown> = {}) => ({
  connectionKey: "dbx",
  connection: {
    handler: "Databricks",
    hostname: "dbc-1234.cloud.databricks.com",
    port: 443,
    database: "main",
    httpPath: "/sql/1.0/warehouses/abc",
    password: TOKEN,
    ...connection,
  },
  sources: [table("crime_data", "data")],
});

test("every secret field of any handler, and all under it, reads [redacted] on GET", async () => {
  const server = await serve();
  const posted = await server.post(
    "data",
    databricks({
      token: TOKEN,
      privateKeyPassword: PASSPHRASE,
      privateKey: { keyName: "PRIV_KEY_FILE", userFilename: "rsa.p8", content: PRIVATE_KEY },
      oAuthClientConfig: { clientSecret: PASSPHRASE, useCertificate: false },
      userFiles: [{ keyName: "KeyFilePath", content: PRIVATE_KEY }],
    }),
  );
  expect(posted.status).toBe(200);
  const read = await server.call("GET", "/api/v2/data/dbx");
  expect(read.body.connection).toMatchObject({
    password: "[redacted]",
    token: "[redacted]",
    privateKeyPassword: "[redacted]",
    privateKey: { content: "[redacted]" },
    oAuthClientConfig: { clientSecret: "[redacted]", useCertificate: false },
    userFiles: [{ content: "[redacted]" }],
  });
  for (const secret of [TOKEN, PASSPHRASE, PRIVATE_KEY]) expect(read.text).not.toContain(secret);
  await server.close();
});

test("a value the client sent from a $env placeholder reads [redacted], and stays so while it is sent again unmarked", async () => {
  const server = await serve();
  const payload = databricks({ username: { $env: "DBX_USER" } });
  const resolved = resolveSecrets(payload, { DBX_USER: OWNER_FROM_ENV });
  expect(resolved.secretPaths).toEqual([["connection", "username"]]);
  const headers = formatSecretPaths(resolved.secretPaths);
  expect(headers).toBe("/connection/username");

  const marked = await fetch(`${server.url}/api/v2/data`, {
    method: "POST",
    headers: {
      authorization: "k",
      "content-type": "application/json",
      "x-immuta-secret-paths": headers,
    },
    body: JSON.stringify(resolved.payload),
  });
  expect(marked.status).toBe(200);
  const read = async () => (await server.call("GET", "/api/v2/data/dbx")).body.connection.username;
  expect(await read()).toBe("[redacted]");
  // Immuta's own Terraform provider (or curl) marks nothing: the same value stays hidden.
  expect((await server.post("data", resolved.payload)).status).toBe(200);
  expect(await read()).toBe("[redacted]");
  // A new, unmarked value is no secret.
  await server.post("data", databricks({ username: "plain-user" }));
  expect(await read()).toBe("plain-user");
  await server.close();
});

test("marks survive a restart; a malformed mark header is a 400", async () => {
  const dataDir = tempDir();
  const first = await serve({ dataDir });
  const post = (marks: string) =>
    fetch(`${first.url}/api/v2/data`, {
      method: "POST",
      headers: {
        authorization: "k",
        "content-type": "application/json",
        "x-immuta-secret-paths": marks,
      },
      body: JSON.stringify(databricks({ username: OWNER_FROM_ENV })),
    });
  expect((await post("connection.username")).status).toBe(400);
  expect((await post("/connection/username")).status).toBe(200);
  await first.close();
  const second = await serve({ dataDir });
  const read = await second.call("GET", "/api/v2/data/dbx");
  expect(read.body.connection.username).toBe("[redacted]");
  expect(read.text).not.toContain(OWNER_FROM_ENV);
  await second.close();
});

describe("the CLI, against a server that returns secrets in clear", () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          connectionKey: "dbx",
          connection: { handler: "Databricks", token: TOKEN, privateKey: { content: PRIVATE_KEY } },
          dataSources: [],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test("immuta-v2 get prints secret fields redacted", async () => {
    const result = await cli(["get", "--kind", "data", "--key", "dbx"], {
      env: { IMMUTA_URL: url },
      secrets: [TOKEN, PRIVATE_KEY],
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).connection).toEqual({
      handler: "Databricks",
      token: "[redacted]",
      privateKey: { content: "[redacted]" },
    });
  });

  test("--verbose logs the answer with its secret fields redacted", async () => {
    const result = await cli(["get", "--kind", "data", "--key", "dbx", "--verbose"], {
      env: { IMMUTA_URL: url },
      secrets: [TOKEN, PRIVATE_KEY],
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('"token":"[redacted]"');
  });
});
