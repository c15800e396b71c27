/**
 * The V2 client against the embedded server: every kind applied and deleted, dry runs, keys that
 * need URL-encoding, errors that carry what happened and where.
 */
import { ImmutaClient, type ClientOptions } from "../../src/client";
import { ApiError, NetworkError, NoEndpointError } from "../../src/errors";
import { KINDS, type Kind } from "../../src/payload/kinds";
import { resolveSecrets } from "../../src/payload/secrets";
import type { PayloadByKind } from "../../src/payload/types";
import { API_KEY, KEYS, PAYLOADS, SECRET_ENV, testServer } from "./fixtures";

const clients: ImmutaClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function client(url: string, options: Partial<ClientOptions> = {}): ImmutaClient {
  const created = new ImmutaClient({ url, apiKey: API_KEY, retryDelayMs: 1, ...options });
  clients.push(created);
  return created;
}

/** The fixture payload with its `$env` secrets resolved, as the CLI sends it. */
function payload<K extends Kind>(kind: K): PayloadByKind[K] {
  return resolveSecrets(PAYLOADS[kind], SECRET_ENV).payload as unknown as PayloadByKind[K];
}

/** Applies the objects a project depends on first. */
async function applyAll(immuta: ImmutaClient): Promise<void> {
  for (const kind of ["purpose", "data", "policy", "project"] as const) {
    await immuta.apply(kind, payload(kind));
  }
}

describe("ImmutaClient against the embedded server", () => {
  it("creates each kind, then reports no change for the same payload", async () => {
    const server = await testServer();
    const immuta = client(server.url);
    expect(await immuta.apply("purpose", payload("purpose"))).toMatchObject({
      creating: true,
      updating: false,
    });
    const data = await immuta.apply("data", payload("data"));
    expect(data.creating).toEqual(["public.customers", "public.orders"]);
    expect(await immuta.apply("policy", payload("policy"))).toMatchObject({ creating: true });
    expect(await immuta.apply("project", payload("project"))).toMatchObject({ creating: true });

    expect(await immuta.apply("purpose", payload("purpose"))).toMatchObject({
      creating: false,
      updating: false,
    });
    expect((await immuta.apply("data", payload("data"))).noChange).toHaveLength(2);
    expect(server.requests().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "POST /api/v2/purpose 200",
      "POST /api/v2/data 200",
      "POST /api/v2/policy 200",
      "POST /api/v2/project 200",
      "POST /api/v2/purpose 200",
      "POST /api/v2/data 200",
    ]);
  });

  it("sends dryRun=false explicitly, and the kind's own flags as query parameters", async () => {
    const server = await testServer();
    const immuta = client(server.url);
    await immuta.apply("purpose", payload("purpose"), { reAcknowledgeRequired: true });
    await immuta.apply("data", payload("data"), { wait: 5 });
    expect(server.requests().map((r) => r.query)).toEqual([
      { dryRun: "false", reAcknowledgeRequired: "true" },
      { dryRun: "false", wait: "5" },
    ]);
  });

  it("answers a dry run without changing anything", async () => {
    const server = await testServer();
    const immuta = client(server.url);
    const dry = await immuta.apply("purpose", payload("purpose"), { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, creating: true });
    expect(await immuta.list("purpose")).toEqual([]);
    expect(server.requests()[0].query).toEqual({ dryRun: "true" });
  });

  it.each(KINDS.map((kind) => [kind]))(
    "deletes a %s by its URL-encoded key, and a second delete is a 404",
    async (kind) => {
      const server = await testServer();
      const immuta = client(server.url);
      await applyAll(immuta);
      // Dependents first: a project names the purpose and the data sources.
      if (kind !== "project") await immuta.delete("project", KEYS.project);
      const deleted = await immuta.delete(kind, KEYS[kind]);
      expect(deleted).toEqual({ dryRun: false, deleted: KEYS[kind] });
      expect(server.requests().at(-1)).toMatchObject({
        method: "DELETE",
        path: `/api/v2/${kind}/${encodeURIComponent(KEYS[kind])}`,
        key: KEYS[kind],
        status: 200,
      });
      const again = await immuta.delete(kind, KEYS[kind]).catch((error: unknown) => error);
      expect(again).toBeInstanceOf(ApiError);
      expect(again).toMatchObject({ status: 404, method: "DELETE", kind, key: KEYS[kind] });
    },
  );

  it("deletes nothing on a dry run", async () => {
    const server = await testServer();
    const immuta = client(server.url);
    await immuta.apply("purpose", payload("purpose"));
    expect(await immuta.delete("purpose", KEYS.purpose, { dryRun: true })).toEqual({
      dryRun: true,
      deleted: KEYS.purpose,
    });
    expect(await immuta.list("purpose")).toEqual([KEYS.purpose]);
  });

  it("reads objects back with get and list, secrets redacted by the server", async () => {
    const server = await testServer();
    const immuta = client(server.url);
    await immuta.apply("data", payload("data"));
    expect(await immuta.list("data")).toEqual([KEYS.data]);
    const stored = await immuta.get("data", KEYS.data);
    expect(stored).toMatchObject({ connectionKey: KEYS.data });
    expect(JSON.stringify(stored)).not.toContain(SECRET_ENV.DWH_PASSWORD);
  });

  it("raises an ApiError naming the object, the request and the server's message", async () => {
    const server = await testServer();
    const immuta = client(server.url);
    const wrong = { ...payload("purpose"), acknowledgment: "typo" } as PayloadByKind["purpose"];
    const error = await immuta.apply("purpose", wrong).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: "API",
      status: 400,
      method: "POST",
      path: "/api/v2/purpose",
      kind: "purpose",
      key: KEYS.purpose,
    });
    expect((error as ApiError).serverMessage).toMatch(/^acknowledgment: unknown field/);
    expect((error as ApiError).message).toMatch(
      /^purpose "Clinical Research": POST \/api\/v2\/purpose failed with 400 Bad Request: acknowledgment: unknown field/,
    );
  });

  it("raises a 404 ApiError for an absent object, and NoEndpointError only for a missing route", async () => {
    const server = await testServer();
    const immuta = client(server.url);
    await expect(immuta.get("policy", "nope")).rejects.toMatchObject({ status: 404, key: "nope" });
    // A base path under which nothing is served: the route itself is missing.
    const elsewhere = client(`${server.url}/not-immuta`);
    await expect(elsewhere.list("policy")).rejects.toBeInstanceOf(NoEndpointError);
    await expect(elsewhere.get("policy", "nope")).rejects.toThrow(
      /the server has no GET \/not-immuta\/api\/v2\/policy endpoint \(it answered 404\)/,
    );
  });

  it("sends the key as a bearer token by default, or raw when asked", async () => {
    const server = await testServer({ apiKeys: [{ key: API_KEY }] });
    await client(server.url).list("purpose");
    await client(server.url, { authHeader: "raw" }).list("purpose");
    await expect(client(server.url, { apiKey: "wrong" }).list("purpose")).rejects.toMatchObject({
      status: 401,
    });
  });

  it("raises a NetworkError when nothing listens, after its retries", async () => {
    const server = await testServer();
    const url = server.url;
    await server.close();
    const retries: number[] = [];
    const immuta = client(url, { retries: 2, onRetry: (e) => retries.push(e.attempt) });
    const error = await immuta.list("purpose").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ causeCode: "ECONNREFUSED", attempts: 3 });
    expect((error as Error).message).toMatch(
      /^GET \/api\/v2\/purpose failed: connection refused by 127\.0\.0\.1:\d+ \(is the server running\?\) \(after 3 attempts\)$/,
    );
    expect(retries).toEqual([1, 2]);
  });

  it("refuses a URL that is not http or https", () => {
    expect(() => new ImmutaClient({ url: "ftp://x", apiKey: "k" })).toThrow(
      'not an http or https URL: "ftp://x"',
    );
    expect(() => new ImmutaClient({ url: "acme.example.com", apiKey: "k" })).toThrow(/not a URL/);
  });
});
