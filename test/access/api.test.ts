/**
 * The simulator's small API: a compiled tenant serves many users, a mixed payload list becomes a
 * tenant, the report is plain JSON and says who it is about.
 */
import { PayloadFileError } from "../../src/errors";
import type { AnyPayload } from "../../src/payload/types";
import { compileTenant, simulateAccess, tenantFromPayloads } from "../../src/access";
import { ANYONE, catalogOf, connection, dataPolicy, mask, table } from "./support";

const tenant = {
  dataSources: [connection([table("b_table", { columns: { email: ["PII"] } }), table("a_table")])],
  policies: [
    ANYONE,
    dataPolicy("mask-pii", [mask("PII", { type: "Hash" }, { exceptions: { groups: ["admins"] } })]),
  ],
  purposes: [{ name: "Research" }],
  catalog: catalogOf({ public: { a_table: ["id"], b_table: ["id", "email"] } }),
};

test("a compiled tenant answers each user as a fresh simulation would", () => {
  const compiled = compileTenant(tenant);
  for (const user of [{}, { groups: ["admins"] }, {}]) {
    expect(simulateAccess(compiled, user)).toEqual(simulateAccess(tenant, user));
  }
  const emailFor = (groups: string[]) =>
    simulateAccess(compiled, { groups }).dataSources[1].columns[1].state;
  expect([emailFor([]), emailFor(["admins"])]).toEqual(["masked", "clear"]);
});

test("the report is sorted by data source name, survives JSON unchanged, and summarises the user", () => {
  const report = simulateAccess(tenant, {
    groups: ["analysts"],
    attributes: [
      { name: "Country", value: "NL" },
      { name: "Country", value: "BE" },
    ],
    purposes: ["Research", "Nope"],
  });
  expect(report.dataSources.map((d) => d.name)).toEqual(["public.a_table", "public.b_table"]);
  expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  expect(report.user).toEqual({
    groups: ["analysts"],
    attributes: { Country: ["NL", "BE"] },
    purposes: ["Research", "Nope"],
  });
  expect(report.warnings).toEqual([
    { path: "user.purposes[1]", message: 'no purpose "Nope" in the tenant' },
  ]);
});

test("tenantFromPayloads sorts payloads by kind and normalises the docs' alternative spellings", () => {
  const input = tenantFromPayloads(
    [
      { name: "Research" },
      { projectKey: "p", name: "P", allowedMaskedJoins: true },
      {
        policyKey: "a",
        name: "A",
        type: "subscription",
        actions: { type: "approval", approvals: [{ requiredPermissions: "OWNER" }] },
      },
      connection(undefined),
    ] as AnyPayload[],
    { caller: "me" },
  );
  expect(input.purposes).toEqual([{ name: "Research" }]);
  expect(input.projects).toEqual([{ projectKey: "p", name: "P", allowMaskedJoins: true }]);
  expect(input.policies?.[0]).toMatchObject({
    actions: { approvals: [{ requiredPermission: "OWNER" }] },
  });
  expect(input.dataSources?.map((d) => d.connectionKey)).toEqual(["acme"]);
  expect(input.caller).toBe("me");
  expect(() => tenantFromPayloads([{ nope: 1 } as unknown as AnyPayload])).toThrow(
    PayloadFileError,
  );
});
