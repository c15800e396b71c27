/**
 * `immuta_tag` of Immuta's Terraform provider against the embedded server, as its code path sends
 * the requests (`immuta/resource_tag.go`): create POSTs `/tag` with the fully qualified name (and
 * the root tag, when configured) and keeps the first answer's id; read searches
 * `GET /tag?searchText=<name>` for that exact name (none: the resource is gone); destroy DELETEs
 * `/tag/{name}`, the name unencoded. V2 payloads may use the tags it creates.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acme, policy, serve, table, type TestServer } from "../support";
import { TagCreateResponse, TagList, goDecode, providerRequest } from "./provider";

const KEY = "tf-key";
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

let server: TestServer;
beforeEach(async () => {
  server = await serve({ apiKeys: [{ key: KEY }] });
});
afterEach(() => server.close());

type Listed = { id: number; name: string; hasLeafNodes: boolean; displayName: string };
const call = (method: "GET" | "POST" | "DELETE", path: string, options = {}) =>
  providerRequest(server.url, KEY, method, path, options);
/** `CreateTag`: the first of the answers, decoded as `TagCreateResponse`. */
async function create(name: string, rootTag?: string): Promise<{ id: number; name: string }> {
  const params = { tags: [{ name }], ...(rootTag ? { rootTag: { name: rootTag } } : {}) };
  const answer = await call("POST", "/tag", { params });
  if (answer.error !== undefined) throw new Error(answer.error);
  const list = answer.body as unknown[];
  return goDecode(TagCreateResponse, list[0]) as { id: number; name: string };
}
/** `GetTag`: the tag of exactly that name among the search's answers, or undefined. */
async function read(name: string): Promise<Listed | undefined> {
  const answer = await call("GET", "/tag", { query: { searchText: name } });
  if (answer.error !== undefined) throw new Error(answer.error);
  const tags = (answer.body as unknown[]).map((t) => goDecode(TagList, t) as Listed);
  return tags.find((t) => t.name === name);
}

test("create, then read: the search finds the exact name, with the id create answered", async () => {
  const created = await create("TF_ACC_TEST_a");
  expect(await read("TF_ACC_TEST_a")).toMatchObject({ id: created.id, hasLeafNodes: false });
});

test("with a root tag (the acceptance test's shape): the child and its root exist", async () => {
  const child = await create("TF_ACC_TEST_a.TF_ACC_TEST_b", "TF_ACC_TEST_a");
  expect(await read("TF_ACC_TEST_a.TF_ACC_TEST_b")).toMatchObject({
    id: child.id,
    displayName: "TF_ACC_TEST_b",
  });
  expect(await read("TF_ACC_TEST_a")).toMatchObject({ hasLeafNodes: true });
  // Creating it again answers the same tag.
  expect((await create("TF_ACC_TEST_a.TF_ACC_TEST_b", "TF_ACC_TEST_a")).id).toBe(child.id);
});

test("the search matches a part of the name in any letter case, by name", async () => {
  await create("PII.Email");
  await create("Sensitive");
  const found = await call("GET", "/tag", { query: { searchText: "pii" } });
  expect((found.body as Listed[]).map((t) => t.name)).toEqual(["PII", "PII.Email"]);
  const limited = await call("GET", "/tag", { query: { searchText: "", limit: "1" } });
  expect((limited.body as Listed[]).map((t) => t.name)).toEqual(["PII"]);
});

test("destroy: DELETE /tag/{name} removes that tag (not the ones below it); then the read finds none", async () => {
  await create("PII.Email");
  expect((await call("DELETE", "/tag/PII")).body).toEqual({ deleted: ["PII"] });
  expect(await read("PII")).toBeUndefined();
  expect(await read("PII.Email")).toBeDefined();
  expect((await call("DELETE", "/tag/PII")).status).toBe(404);
  // A name with a space, sent unencoded by the provider, arrives encoded.
  await create("Contains PII");
  expect((await call("DELETE", "/tag/Contains%20PII")).error).toBeUndefined();
});

test("rootTag.deleteHierarchy replaces the root's children with the ones given", async () => {
  await create("PII.Email");
  await create("PII.Phone");
  const answer = await call("POST", "/tag", {
    params: { tags: [{ name: "PII.Address" }], rootTag: { name: "PII", deleteHierarchy: true } },
  });
  expect(answer.error).toBeUndefined();
  const names = ((await call("GET", "/tag")).body as Listed[]).map((t) => t.name);
  expect(names).toEqual(["PII", "PII.Address"]);
});

test("a bad body is a 400 listing every problem by field", async () => {
  const answer = await call("POST", "/tag", {
    params: {
      tags: [{ name: "Email" }, { name: "a..b" }, { nme: "x" }, { name: "PII.Phone", id: 9 }],
      rootTag: { name: "PII" },
    },
  });
  expect(answer.status).toBe(400);
  expect(JSON.parse(answer.error!.replace(/^\(400\) /, "")).message).toBe(
    [
      'tags[0].name: "Email" is not under the root tag "PII": give the fully qualified name ("PII.Email")',
      'tags[1].name: "a..b" is not a tag name: names separated by ".", none of them empty',
      "tags[2].nme: unknown field (allowed: name, id)",
      "tags[2].name: required: the tag's fully qualified name",
      'tags[3].id: no tag "PII.Phone" has id 9; leave id out to create a tag (the embedded server does not rename tags)',
    ].join("\n"),
  );
});

test("V2 payloads may use the tags created here: a policy on the tag applies to a source tagged so", async () => {
  await create("PII.Email");
  const v2 = { auth: KEY };
  await server.post(
    "data",
    acme({
      sources: [
        table("customers", "public", {
          tags: { columns: [{ columnName: "email", tags: ["PII.Email"] }] },
        }),
      ],
    }),
    "",
    v2,
  );
  const applied = await server.post(
    "policy",
    policy("mask-pii", { circumstances: [{ type: "columnTags", columnTag: "PII" }] }),
    "",
    v2,
  );
  expect(applied.body.appliedTo).toEqual(["public.customers"]);
});

test("tags are kept in the data directory: a restart keeps them and their ids", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "immuta-v2-tags-"));
  dirs.push(dataDir);
  const first = await serve({ dataDir, apiKeys: [{ key: KEY }] });
  const created = await providerRequest(first.url, KEY, "POST", "/tag", {
    params: { tags: [{ name: "PII.Email" }] },
  });
  await providerRequest(first.url, KEY, "DELETE", "/tag/PII");
  await first.close();
  const second = await serve({ dataDir, apiKeys: [{ key: KEY }] });
  const listed = await providerRequest(second.url, KEY, "GET", "/tag");
  expect(listed.body).toEqual([
    expect.objectContaining({ name: "PII.Email", id: (created.body as Listed[])[0].id }),
  ]);
  const next = await providerRequest(second.url, KEY, "POST", "/tag", {
    params: { tags: [{ name: "Other" }] },
  });
  expect((next.body as Listed[])[0].id).toBe(3);
  await second.close();
});
