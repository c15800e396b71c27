/**
 * `plan --personas`: each persona's access before and after a change, and the differences in a
 * reviewer's words. Tenants are given as payloads, as the plan reads them from Terraform.
 */
import type { TenantInput } from "../../src/access/types";
import type { AnyPayload } from "../../src/payload/types";
import { personaAccessChanges } from "../../src/review/persona-access";
import type { NamedPersona } from "../../src/review/personas-file";
import { catalogOf, connection, dataPolicy, mask, subscription, table } from "../access/support";

const catalog = catalogOf({
  public: { customers: ["id", "email", "country"], orders: ["id", "amount"], payroll: ["salary"] },
});
const warehouse = (tables = ["customers", "orders"]) =>
  connection(tables.map((t) => table(t, t === "customers" ? { columns: { email: ["PII"] } } : {})));
const analystsSubscribe = subscription("analysts-subscribe", {
  type: "entitlements",
  automaticSubscription: true,
  entitlements: { groups: ["Analysts"] },
} as never);
const maskPii = dataPolicy("mask-pii", [mask("PII", { type: "Hash" })]);

const tenant = (payloads: AnyPayload[]): TenantInput => ({
  dataSources: payloads.filter((p) => "connectionKey" in p) as never,
  policies: payloads.filter((p) => "policyKey" in p) as never,
  projects: payloads.filter((p) => "projectKey" in p) as never,
  purposes: payloads.filter(
    (p) => !("connectionKey" in p || "policyKey" in p || "projectKey" in p),
  ) as never,
  catalog,
});

const analyst: NamedPersona = { name: "analyst", groups: ["Analysts"] };
const contractor: NamedPersona = { name: "contractor", groups: ["Contractors"] };

const lines = (before: AnyPayload[], after: AnyPayload[], personas = [analyst, contractor]) =>
  personaAccessChanges(tenant(before), tenant(after), personas).changes.map(
    (c) => `${c.persona}: ${c.change}`,
  );

test("a masking policy removed: the column is clear for whoever sees it, and only for them", () => {
  expect(
    lines([warehouse(), analystsSubscribe, maskPii], [warehouse(), analystsSubscribe]),
  ).toEqual(["analyst: email on public.customers: masked (Hash) → clear"]);
});

test("nothing changed: no line", () => {
  const same = [warehouse(), analystsSubscribe, maskPii];
  expect(lines(same, same)).toEqual([]);
});

test("a group added to a subscription policy: that persona's subscriptions, with what they now see", () => {
  const widened = subscription("analysts-subscribe", {
    type: "entitlements",
    automaticSubscription: true,
    entitlements: { groups: ["Analysts", "Contractors"] },
  } as never);
  expect(lines([warehouse(), analystsSubscribe, maskPii], [warehouse(), widened, maskPii])).toEqual(
    [
      "contractor: public.customers: denied → subscribed automatically; clear: id, country; masked (Hash): email",
      "contractor: public.orders: denied → subscribed automatically; clear: id, amount",
    ],
  );
});

test("a data source added or removed: said for the personas who can reach it", () => {
  const before = [warehouse(), analystsSubscribe];
  const after = [warehouse(["customers", "orders", "payroll"]), analystsSubscribe];
  expect(lines(before, after)).toEqual([
    "analyst: public.payroll: new data source, subscribed automatically; clear: salary",
  ]);
  expect(lines(after, before)).toEqual([
    "analyst: public.payroll: removed (was subscribed automatically)",
  ]);
});

test("a row filter added: named by its policy and rule type", () => {
  const eu = dataPolicy("eu-only", [
    {
      type: "Row Restriction by Custom Where Clause",
      config: { predicate: "country = 'NL'" },
    } as never,
  ]);
  expect(
    lines([warehouse(), analystsSubscribe], [warehouse(), analystsSubscribe, eu], [analyst]),
  ).toEqual([
    "analyst: public.customers: rows now filtered by eu-only (Row Restriction by Custom Where Clause)",
    "analyst: public.orders: rows now filtered by eu-only (Row Restriction by Custom Where Clause)",
  ]);
});

test("a persona acting under a project the change creates: the project is new, then its sources", () => {
  const fraud = { projectKey: "fraud", name: "Fraud", datasources: ["public.orders"] };
  const investigator: NamedPersona = {
    name: "investigator",
    groups: ["Analysts"],
    project: "fraud",
  };
  expect(
    lines(
      [warehouse(), analystsSubscribe],
      [warehouse(), analystsSubscribe, fraud],
      [investigator],
    ),
  ).toEqual([
    "investigator: project fraud: new",
    "investigator: public.orders: in the new project fraud, subscribed automatically; clear: id, amount",
  ]);
  const wider = { ...fraud, datasources: ["public.orders", "public.customers"] };
  expect(
    lines(
      [warehouse(), analystsSubscribe, fraud],
      [warehouse(), analystsSubscribe, wider],
      [investigator],
    ),
  ).toEqual([
    "investigator: public.customers: not in the project → subscribed automatically; clear: id, email, country",
  ]);
  expect(
    lines(
      [warehouse(), analystsSubscribe, fraud],
      [warehouse(), analystsSubscribe],
      [investigator],
    ),
  ).toEqual([
    "investigator: project fraud: removed",
    "investigator: public.orders: no longer reachable: project fraud removed (was subscribed automatically)",
  ]);
  const review = personaAccessChanges(tenant([warehouse()]), tenant([warehouse()]), [investigator]);
  expect(review.changes).toEqual([]);
  expect(review.withoutProject).toEqual(["investigator"]);
});

test("a row filter's predicate, or a masking's parameters, changed under the same words", () => {
  const where = (predicate: string) =>
    dataPolicy("eu-only", [
      { type: "Row Restriction by Custom Where Clause", config: { predicate } } as never,
    ]);
  const constant = (value: string) =>
    dataPolicy("mask-pii", [mask("PII", { type: "Constant", constant: value })]);
  expect(
    lines(
      [warehouse(["customers"]), analystsSubscribe, where("country = 'NL'"), constant("REDACTED")],
      [warehouse(["customers"]), analystsSubscribe, where("1=1"), constant("leak")],
      [analyst],
    ),
  ).toEqual(
    [
      'email on public.customers: masked (Constant) by mask-pii {"constant":"REDACTED"} → masked (Constant) by mask-pii {"constant":"leak"}',
      "public.customers: rows filtered by eu-only (Row Restriction by Custom Where Clause): country = 'NL' → 1=1",
    ].map((line) => `analyst: ${line}`),
  );
});

test("without a catalog, a column no tag names any more is said, not silently dropped", () => {
  const untagged = connection([table("customers")]);
  const review = personaAccessChanges(
    { ...tenant([warehouse(["customers"]), analystsSubscribe, maskPii]), catalog: undefined },
    { ...tenant([untagged, analystsSubscribe, maskPii]), catalog: undefined },
    [analyst],
  );
  expect(review.changes.map((c) => c.change)).toEqual([
    "email on public.customers: masked (Hash) → not known: no tag names it now (--catalog lists every column)",
  ]);
});

test("governance that cannot be simulated says which side, as a SimulationError", () => {
  const catalogWithoutEmail = catalogOf({ public: { customers: ["id"] } });
  expect(() =>
    personaAccessChanges(
      { ...tenant([warehouse(["customers"])]), catalog: catalogWithoutEmail },
      { ...tenant([connection([table("customers")])]), catalog: catalogWithoutEmail },
      [analyst],
    ),
  ).toThrow(
    expect.objectContaining({
      code: "SIMULATION",
      message: expect.stringMatching(
        /^the governance as last deployed cannot be simulated: .*no column "email"/s,
      ),
    }),
  );
});

test("a persona's own problem names the persona", () => {
  const review = personaAccessChanges(
    tenant([warehouse(), { name: "Research" } as never]),
    tenant([warehouse(), { name: "Research" } as never]),
    [{ name: "typist", purposes: ["Reserach"] }],
  );
  expect(review.warnings).toEqual([
    'persona typist: user.purposes[0]: no purpose "Reserach" in the tenant',
  ]);
});
