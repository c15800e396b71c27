/**
 * POST /api/v2/simulate's handler, a pure function of the server's state and the request body:
 * it answers what the simulator answers for the payloads the server was given, read from what
 * the server holds (disabled data sources left out, owners as stored), and refuses a bad body
 * with every problem at once.
 */
import { simulateAccess, tenantFromPayloads } from "../../src/access";
import type { SimulatedUser } from "../../src/access";
import { Api } from "../../src/server/api";
import { HttpError } from "../../src/server/http-error";
import { answerSimulate } from "../../src/server/simulate";
import type { State } from "../../src/server/state";
import type { AnyPayload, DataSourcePayload, PolicyPayload } from "../../src/payload/types";
import { objectsOfConstructs } from "../../src/testing/read-constructs";
import { CATALOG, governance, stackWith } from "../testing/support";
import { userOfKey } from "./support";

const KEY = "simulate-test-key";
const CALLER = userOfKey(KEY);

const apis: Api[] = [];
afterAll(() => Promise.all(apis.map((api) => api.close())));

/** A server (no sockets) and its state, which the route hands to the handler. */
function server() {
  const api = new Api({ catalog: CATALOG as never });
  apis.push(api);
  const state = (api as unknown as { state: State }).state;
  const post = async (kind: string, payload: unknown) => {
    const answer = await api.handle({
      method: "POST",
      url: `/api/v2/${kind}`,
      body: Buffer.from(JSON.stringify(payload)),
      authorization: `Bearer ${KEY}`,
      contentType: "application/json",
    });
    if ("drop" in answer || answer.status !== 200) {
      throw new Error(`POST ${kind}: ${JSON.stringify(answer)}`);
    }
  };
  return { state, post };
}

/** The test governance's payloads, with a literal password (the server refuses placeholders). */
function payloads(): AnyPayload[] {
  return objectsOfConstructs(stackWith(governance)).map((o) => {
    if (o.kind !== "data") return o.payload as AnyPayload;
    const data = o.payload as DataSourcePayload;
    return { ...data, connection: { ...data.connection, password: "pw" } } as AnyPayload;
  });
}

const ORDER: Record<string, number> = { purpose: 0, data: 1, policy: 2, project: 3 };
const kindOf = (p: AnyPayload) =>
  "connectionKey" in p
    ? "data"
    : "policyKey" in p
      ? "policy"
      : "projectKey" in p
        ? "project"
        : "purpose";

async function serverWith(all: readonly AnyPayload[]) {
  const s = server();
  for (const p of [...all].sort((a, b) => ORDER[kindOf(a)] - ORDER[kindOf(b)])) {
    await s.post(kindOf(p), p);
  }
  return s;
}

const USERS: SimulatedUser[] = [
  {},
  { groups: ["Analysts"] },
  { groups: ["Analysts", "Privacy Officers", "Global Sales"] },
  { groups: ["Analysts"], project: "orders-project" },
  { attributes: [{ name: "region", value: "EU" }], purposes: ["Research"] },
];

describe("answerSimulate", () => {
  it("answers what the simulator answers for the payloads the server was given", async () => {
    const given = payloads();
    const { state } = await serverWith(given);
    const local = { ...tenantFromPayloads(given), catalog: CATALOG, caller: CALLER };
    for (const user of USERS) {
      for (const detail of ["summary", "full"] as const) {
        expect(JSON.stringify(answerSimulate(state, { user, detail }))).toBe(
          JSON.stringify(simulateAccess(local, user, { detail })),
        );
      }
    }
    expect(answerSimulate(state, { user: {} }).dataSources.map((d) => d.name)).toEqual([
      "hr.salaries",
      "public.customers",
      "public.orders",
    ]);
  });

  it("takes the options: some data sources, approvals assumed", async () => {
    const { state } = await serverWith(payloads());
    const report = answerSimulate(state, {
      user: { groups: ["Analysts"] },
      dataSources: ["hr.salaries"],
      assumeApproved: true,
    });
    expect(report.dataSources.map((d) => [d.name, d.visible])).toEqual([["hr.salaries", true]]);
    expect(report.dataSources[0].why).toContain("(assumed granted: assumeApproved)");
  });

  it("leaves out the data sources the server has disabled", async () => {
    const given = payloads();
    const { state, post } = await serverWith(given);
    const data = given.find((p) => "connectionKey" in p) as DataSourcePayload;
    await post("data", { ...data, sources: data.sources!.slice(0, 2) });
    expect(answerSimulate(state, { user: {} }).dataSources.map((d) => d.name)).toEqual([
      "public.customers",
      "public.orders",
    ]);
  });

  it("reads owners as the server stores them: the caller who created a connection is one", async () => {
    const restricted = (username: string): PolicyPayload => ({
      policyKey: `anyone-owned-by-${username}`,
      name: "Anyone, on data sources this user owns",
      type: "subscription",
      actions: { type: "anyone", automaticSubscription: true },
      ownerRestrictions: { users: [{ username }] },
    });
    const data = payloads().find((p) => "connectionKey" in p)!;
    const mine = await serverWith([data, restricted(CALLER)]);
    const theirs = await serverWith([data, restricted("someone-else")]);
    const answer = (state: State) =>
      answerSimulate(state, { user: {}, dataSources: ["public.orders"] }).dataSources[0];
    expect(answer(mine.state)).toMatchObject({ visible: true });
    expect(answer(theirs.state).visible).toBe(false);
    expect(answer(theirs.state).policies[0].why).toContain("not enforced");
  });

  it("refuses a bad body with every problem, one per line", async () => {
    const { state } = await serverWith(payloads());
    const refusal = (body: unknown) => {
      try {
        answerSimulate(state, body);
      } catch (error) {
        expect(error).toBeInstanceOf(HttpError);
        return `${(error as HttpError).status} ${(error as HttpError).message}`;
      }
      throw new Error("accepted");
    };
    expect(refusal([])).toBe('400 (payload): must be an object: { "user": { "groups": [...] } }');
    expect(refusal({})).toBe("400 user: required");
    expect(
      refusal({
        user: {
          groups: "Analysts",
          attributes: { region: ["EU", 1] },
          purposes: [2],
          project: 3,
          name: "x",
        },
        dataSources: "public.orders",
        detail: "all",
        assumeApproved: "yes",
        extra: true,
      }),
    ).toBe(
      [
        "400 extra: unknown field (allowed: user, dataSources, detail, assumeApproved)",
        "user.name: unknown field (allowed: groups, attributes, purposes, project)",
        "user.groups: must be a list of strings",
        "user.purposes[0]: must be a string",
        "user.project: must be a projectKey or project name",
        "user.attributes.region[1]: must be a string",
        "dataSources: must be a list of strings",
        'detail: must be "summary" or "full"',
        "assumeApproved: must be true or false",
      ].join("\n"),
    );
    expect(refusal({ user: { attributes: [{ name: "region" }] } })).toBe(
      "400 user.attributes[0]: must be { name, value } with strings",
    );
  });

  it("refuses an unknown project or data source, naming what there is", async () => {
    const { state } = await serverWith(payloads());
    expect(() => answerSimulate(state, { user: { project: "nope" } })).toThrow(
      'user.project: no project "nope" (by projectKey or name) in the tenant; it has orders-project',
    );
    expect(() => answerSimulate(state, { user: {}, dataSources: ["public.nope"] })).toThrow(
      'dataSources[0]: no data source "public.nope" in the tenant (it has hr.salaries, public.customers, public.orders)',
    );
  });
});
