/**
 * `immuta_project` of Immuta's Terraform provider against the embedded server, as its code path
 * sends the requests (`immuta/resource_project.go`): create and update POST `/api/v2/project`, GET
 * `/project/{projectId}` and acknowledge the member subscription that GET names; read GETs it and
 * compares name, description, documentation, masked joins, subscription policy, tag names and
 * purpose names with its state; destroy DELETEs `/api/v2/project/{projectKey}`. Its fallback for
 * "You must first acknowledge" finds the project by name (`GET /project?searchText&nameOnly`).
 */
import { SECRET_PATHS_HEADER } from "../../../src/payload/secrets";
import { purpose, serve, type TestServer } from "../support";
import {
  FindProjectsResponse,
  Project,
  ProjectResourceResponseV2,
  goDecode,
  projectInput,
  providerRequest,
} from "./provider";

const KEY = "tf-key";

let server: TestServer;
beforeEach(async () => {
  server = await serve({ apiKeys: [{ key: KEY }] });
  await server.post("purpose", purpose("Fraud detection"), "", { auth: KEY });
});
afterEach(() => server.close());

type ProjectView = {
  id: number;
  name: string;
  description: string;
  documentation: string;
  allowMaskedJoins: boolean;
  subscriptionPolicy: Record<string, unknown> | null;
  tags: { id: number; name: string }[];
  purposes: { name: string }[];
  subscriptionId: number;
};

const call = (method: "GET" | "POST" | "DELETE", path: string, options = {}) =>
  providerRequest(server.url, KEY, method, path, options);
/** `GetProject`, decoded as `Project`. */
async function getProject(id: number): Promise<ProjectView> {
  const answer = await call("GET", `/project/${id}`);
  if (answer.error !== undefined) throw new Error(answer.error);
  return goDecode(Project, answer.body) as ProjectView;
}
/** Create and Update: upsert, get, acknowledge the member subscription. */
async function apply(input: object): Promise<number> {
  const posted = await call("POST", "/api/v2/project", { params: input });
  expect(posted.error).toBeUndefined();
  const { projectId } = goDecode(ProjectResourceResponseV2, posted.body) as { projectId: number };
  const state = await getProject(projectId);
  const ack = await call(
    "POST",
    `/project/${state.id}/members/${state.subscriptionId}/acknowledge`,
    { params: {} },
  );
  expect(ack.error).toBeUndefined();
  return projectId;
}

test("create, then read: every field the read compares is what was sent", async () => {
  const tagged = await call("POST", "/tag", { params: { tags: [{ name: "Sensitive" }] } });
  const id = await apply(
    projectInput("Fraud", "fraud", {
      description: "fraud analysis",
      purposes: ["Fraud detection"],
      tags: ["Sensitive", "Unregistered"],
    }),
  );
  const project = await getProject(id);
  expect(project).toMatchObject({
    id,
    name: "Fraud",
    description: "fraud analysis",
    documentation: "# Fraud",
    allowMaskedJoins: false,
    subscriptionPolicy: null,
    purposes: [{ name: "Fraud detection" }],
  });
  // Tags as Immuta lists them: a tag created with POST /tag carries its id.
  expect(project.tags).toEqual([
    expect.objectContaining({ name: "Sensitive", id: (tagged.body as { id: number }[])[0].id }),
    expect.objectContaining({ name: "Unregistered", id: 0 }),
  ]);
});

test("update keeps the projectId the provider checks; the read shows the change", async () => {
  const id = await apply(projectInput("Fraud", "fraud", { description: "a" }));
  expect(await apply(projectInput("Fraud", "fraud", { description: "b" }))).toBe(id);
  expect((await getProject(id)).description).toBe("b");
});

test("the acknowledge fallback finds the project by name, first hit first", async () => {
  await apply(projectInput("Fraud analysis", "fraud-2"));
  const id = await apply(projectInput("Fraud", "fraud"));
  const found = await call("GET", "/project", {
    query: { searchText: "Fraud", nameOnly: "true" },
  });
  const decoded = goDecode(FindProjectsResponse, found.body) as {
    hits: ProjectView[];
    count: number;
  };
  expect(decoded.hits.map((h) => h.id)).toEqual([id, id - 1]);
  expect(decoded.count).toBe(2);
  // nameOnly: a description that matches does not count.
  await apply(projectInput("Churn", "churn", { description: "not fraud" }));
  const byName = await call("GET", "/project", {
    query: { searchText: "fraud", nameOnly: "true" },
  });
  expect((byName.body as { count: number }).count).toBe(2);
  const anywhere = await call("GET", "/project", { query: { searchText: "fraud" } });
  expect((anywhere.body as { count: number }).count).toBe(3);
});

test("GET /project pages as Immuta does: 10 unless size or noLimit says otherwise", async () => {
  for (let i = 0; i < 12; i++) {
    await server.post(
      "project",
      { projectKey: `p${i}`, name: `P ${String(i).padStart(2, "0")}` },
      "",
      {
        auth: KEY,
      },
    );
  }
  const first = (await call("GET", "/project")).body as { hits: { name: string }[]; count: number };
  expect([first.hits.length, first.count]).toEqual([10, 12]);
  const rest = (await call("GET", "/project", { query: { offset: "10" } })).body as {
    hits: { name: string }[];
  };
  expect(rest.hits.map((h) => h.name)).toEqual(["P 10", "P 11"]);
  const all = (await call("GET", "/project", { query: { noLimit: "true" } })).body as {
    hits: unknown[];
  };
  expect(all.hits).toHaveLength(12);
});

test("acknowledging another subscription is a 404 naming the member's; a body must be {}", async () => {
  const id = await apply(projectInput("Fraud", "fraud"));
  const wrong = await call("POST", `/project/${id}/members/${id + 7}/acknowledge`, { params: {} });
  expect(wrong.status).toBe(404);
  expect(wrong.error).toContain(`has subscription ${id}`);
  const body = await call("POST", `/project/${id}/members/${id}/acknowledge`, {
    params: { purposes: [] },
  });
  expect(body.status).toBe(400);
  expect(
    (await call("POST", `/project/${id + 1}/members/${id + 1}/acknowledge`, { params: {} })).status,
  ).toBe(404);
});

test("destroy: DELETE /api/v2/project/{projectKey}; then the read is a 404", async () => {
  const id = await apply(projectInput("Fraud", "fraud"));
  expect((await call("DELETE", "/api/v2/project/fraud")).error).toBeUndefined();
  expect((await call("GET", `/project/${id}`)).status).toBe(404);
});

test("import: the id alone reads the project (its projectKey too, though the read ignores it)", async () => {
  const id = await apply(projectInput("Fraud", "fraud", { purposes: ["Fraud detection"] }));
  const answer = await call("GET", `/project/${id}`);
  expect(answer.body).toMatchObject({ id, projectKey: "fraud", name: "Fraud" });
});

test("the routes need CREATE_PROJECT", async () => {
  const governor = await serve({ apiKeys: [{ key: "g", permissions: ["GOVERNANCE"] }] });
  try {
    const refused = await providerRequest(governor.url, "g", "GET", "/project/1");
    expect(refused.status).toBe(403);
    expect(refused.error).toContain("CREATE_PROJECT permission, which GET /project/{id} requires");
  } finally {
    await governor.close();
  }
});

test("the search matches what a read shows: never the text of a value sent from a secret", async () => {
  const posted = await fetch(`${server.url}/api/v2/project`, {
    method: "POST",
    headers: {
      authorization: KEY,
      "content-type": "application/json",
      [SECRET_PATHS_HEADER]: "/documentation",
    },
    body: JSON.stringify({ projectKey: "fraud", name: "Fraud", documentation: "hunter2" }),
  });
  expect(posted.status).toBe(200);
  const search = async (text: string) =>
    ((await call("GET", "/project", { query: { searchText: text } })).body as { count: number })
      .count;
  expect(await search("hunter2")).toBe(0);
  expect(await search("fraud")).toBe(1);
  const { projectId } = (await posted.json()) as { projectId: number };
  expect((await getProject(projectId)).documentation).toBe("[redacted]");
});
