/**
 * `immuta_purpose` of Immuta's Terraform provider against the embedded server, as its code path
 * sends the requests (`immuta/resource_purpose.go`): create POSTs `/api/v2/purpose` twice, every
 * string present ("" when not configured); read GETs `/governance/purpose/{purposeId}` with
 * `includeSubpurposes=true` and compares name, description, acknowledgement and the sub-purposes
 * with its state; update POSTs and checks the id; destroy DELETEs `/governance/purpose/{id}`.
 */
import { SECRET_PATHS_HEADER } from "../../../src/payload/secrets";
import { project, serve, type TestServer } from "../support";
import {
  PurposeResourceResponseV2,
  PurposeResponse,
  Purposes,
  goDecode,
  providerRequest,
  purposeInput,
} from "./provider";

const KEY = "tf-key";
const OWNER_KEY = "data-owner-key";

let server: TestServer;
beforeEach(async () => {
  server = await serve({
    apiKeys: [{ key: KEY }, { key: OWNER_KEY, permissions: ["CREATE_DATA_SOURCE"] }],
  });
});
afterEach(() => server.close());

const call = (method: "GET" | "POST" | "DELETE", path: string, options = {}) =>
  providerRequest(server.url, KEY, method, path, options);
const upsert = async (input: object) => {
  const answer = await call("POST", "/api/v2/purpose", { params: input });
  expect(answer.error).toBeUndefined();
  return goDecode(PurposeResourceResponseV2, answer.body) as { purposeId: number };
};
/** `GetPurpose`, decoded as `PurposeResponse`. */
const read = async (id: number) => {
  const answer = await call("GET", `/governance/purpose/${id}`, {
    query: { includeSubpurposes: "true" },
  });
  if (answer.error !== undefined) throw new Error(answer.error);
  return goDecode(PurposeResponse, answer.body) as Record<string, unknown>;
};

const SUBPURPOSES = [
  { name: "Research.Clinical", description: "clinical", acknowledgement: "I am a clinician" },
  { name: "Research.Survey", description: "", acknowledgement: "" },
];

test("create (twice, as the provider does), then read: what it reads is what it sent", async () => {
  const input = purposeInput("Research", {
    description: "research use",
    subpurposes: SUBPURPOSES,
  });
  const first = await upsert(input);
  const second = await upsert(input);
  expect(second.purposeId).toBe(first.purposeId);
  const purpose = await read(first.purposeId);
  // Read's comparisons: id, name, description, acknowledgement, the list of sub-purposes.
  expect(purpose).toMatchObject({
    id: first.purposeId,
    name: "Research",
    description: "research use",
    acknowledgement: "",
    subpurposes: [
      { name: "Research.Clinical", description: "clinical", acknowledgement: "I am a clinician" },
      { name: "Research.Survey", description: "", acknowledgement: "" },
    ],
  });
});

test("a purpose without optional fields reads back as configured (an empty plan)", async () => {
  const { purposeId } = await upsert(purposeInput("Bare"));
  expect(await read(purposeId)).toMatchObject({
    name: "Bare",
    description: "",
    acknowledgement: "",
    subpurposes: [],
  });
});

test("update keeps the purposeId the provider checks, and the read shows the change", async () => {
  const { purposeId } = await upsert(purposeInput("Research", { description: "a" }));
  const updated = await upsert(
    purposeInput("Research", { description: "b", acknowledgement: "I agree" }),
  );
  expect(updated.purposeId).toBe(purposeId);
  expect(await read(purposeId)).toMatchObject({ description: "b", acknowledgement: "I agree" });
});

test("destroy: DELETE /governance/purpose/{id}; then the read is a 404", async () => {
  const { purposeId } = await upsert(purposeInput("Research"));
  const deleted = await call("DELETE", `/governance/purpose/${purposeId}`);
  expect(deleted.error).toBeUndefined();
  expect(deleted.body).toMatchObject({ id: purposeId, name: "Research", deleted: true });
  const gone = await call("GET", `/governance/purpose/${purposeId}`, {
    query: { includeSubpurposes: "true" },
  });
  expect(gone.status).toBe(404);
  expect((await server.call("GET", "/api/v2/purpose", undefined, { auth: KEY })).body).toEqual([]);
});

test("destroy of a purpose a project uses is refused with 409, as on the V2 route", async () => {
  const { purposeId } = await upsert(purposeInput("Research"));
  await server.post("project", project("churn", { purposes: ["Research"] }), "", { auth: KEY });
  const refused = await call("DELETE", `/governance/purpose/${purposeId}`);
  expect(refused.status).toBe(409);
  expect(refused.error).toContain('purpose \\"Research\\" is in use by project \\"churn\\"');
});

test("import: the id alone reads the purpose", async () => {
  const { purposeId } = await upsert(purposeInput("Research", { description: "d" }));
  expect(await read(purposeId)).toMatchObject({ id: purposeId, name: "Research" });
  expect((await call("GET", "/governance/purpose/99")).status).toBe(404);
});

test("the list decodes as Purposes; searchText and includeSubpurposes apply", async () => {
  await upsert(purposeInput("Research", { subpurposes: SUBPURPOSES }));
  await upsert(purposeInput("Marketing"));
  const all = await call("GET", "/governance/purpose", { query: { noLimit: "false" } });
  const decoded = goDecode(Purposes, all.body) as { purposes: { name: string }[]; count: number };
  expect(decoded.purposes.map((p) => p.name)).toEqual(["Marketing", "Research"]);
  expect(decoded.count).toBe(2);
  const found = await call("GET", "/governance/purpose", {
    query: { searchText: "sear", includeSubpurposes: "true" },
  });
  expect(found.body).toMatchObject({
    purposes: [{ name: "Research", subpurposes: [{}, {}] }],
    count: 1,
  });
});

test("a value sent from a secret reads as [redacted] here too", async () => {
  const posted = await fetch(`${server.url}/api/v2/purpose`, {
    method: "POST",
    headers: {
      authorization: KEY,
      "content-type": "application/json",
      [SECRET_PATHS_HEADER]: "/acknowledgement",
    },
    body: JSON.stringify({ name: "Research", acknowledgement: "a secret statement" }),
  });
  const { purposeId } = (await posted.json()) as { purposeId: number };
  expect((await read(purposeId)).acknowledgement).toBe("[redacted]");
});

test("the routes need a key and GOVERNANCE, take only their own query parameters and ids", async () => {
  const { purposeId } = await upsert(purposeInput("Research"));
  const path = `/governance/purpose/${purposeId}`;
  expect((await server.call("GET", path, undefined, { auth: null })).status).toBe(401);
  const owner = await providerRequest(server.url, OWNER_KEY, "DELETE", path);
  expect(owner.status).toBe(403);
  expect(owner.error).toContain(
    "lacks the GOVERNANCE permission, which DELETE /governance/purpose/{id} requires",
  );
  const typo = await call("GET", path, { query: { includeSubPurposes: "true" } });
  expect(typo.status).toBe(400);
  expect(typo.error).toContain(
    'unknown query parameter \\"includeSubPurposes\\" (GET /governance/purpose/{id} accepts includeSubpurposes)',
  );
  const bad = await call("GET", "/governance/purpose/Research");
  expect(bad.status).toBe(400);
  expect(bad.error).toContain("id in /governance/purpose/Research must be a whole number");
  const post = await call("POST", path, { params: {} });
  expect(post.status).toBe(405);
});
