/**
 * Where a global policy applies: circumstances and their operator, staged policies, owner
 * restrictions, and the explanation of a match or a miss.
 */
import type { Circumstance, PolicyPayload } from "../../src/payload/types";
import { accessTo, catalogOf, connection, simulateAccess, subscription, table } from "./support";

const catalog = catalogOf({
  public: { customers: ["id", "Email"], orders: ["id", "amount"], plain: ["id"] },
});
const sources = [
  table("customers", { table: ["Sales.EU"], columns: { Email: ["PII.Email"] } }),
  table("orders", { table: ["Finance"] }),
  table("plain"),
  { query: "select 1 as n", naming: { datasource: "Daily Count" } },
];
const applies = (
  circumstances: Circumstance[],
  operator?: "any" | "all",
  extra: Partial<PolicyPayload> = {},
) => {
  const policy = subscription(
    "p",
    { type: "anyone" },
    {
      circumstances,
      ...(operator ? { circumstanceOperator: operator } : {}),
      ...extra,
    },
  );
  const report = simulateAccess(
    { dataSources: [connection(sources)], policies: [policy], catalog },
    {},
  );
  return report.dataSources.filter((d) => d.policies.length > 0).map((d) => d.name);
};

describe("circumstances", () => {
  test("none: every data source, the query source too", () => {
    expect(applies([])).toEqual([
      "daily count",
      "public.customers",
      "public.orders",
      "public.plain",
    ]);
  });

  test("any (the default) of tags and columnTags; all needs both", () => {
    const both: Circumstance[] = [
      { type: "tags", tag: "Sales" },
      { type: "columnTags", columnTag: "PII" },
    ];
    expect(applies(both)).toEqual(["public.customers"]);
    expect(
      applies([
        { type: "tags", tag: "Finance" },
        { type: "columnTags", columnTag: "PII" },
      ]),
    ).toEqual(["public.customers", "public.orders"]);
    expect(
      applies(
        [
          { type: "tags", tag: "Finance" },
          { type: "columnTags", columnTag: "PII" },
        ],
        "all",
      ),
    ).toEqual([]);
    expect(applies(both, "all")).toEqual(["public.customers"]);
  });

  test("columnRegex looks at column names, with case as asked; a query source has no columns", () => {
    expect(applies([{ type: "columnRegex", regex: "^email$" }])).toEqual([]);
    expect(applies([{ type: "columnRegex", regex: "^email$", caseInsensitive: true }])).toEqual([
      "public.customers",
    ]);
    expect(applies([{ type: "columnRegex", regex: "^id$" }])).toEqual([
      "public.customers",
      "public.orders",
      "public.plain",
    ]);
  });

  test("noTags: no table tag and no column tag", () => {
    expect(applies([{ type: "noTags" }])).toEqual(["daily count", "public.plain"]);
  });

  test("an invalid regex matches nothing and is reported", () => {
    const report = simulateAccess(
      {
        dataSources: [connection(sources)],
        policies: [
          subscription(
            "p",
            { type: "anyone" },
            { circumstances: [{ type: "columnRegex", regex: "(" }] },
          ),
        ],
        catalog,
      },
      {},
    );
    expect(report.dataSources.every((d) => d.policies.length === 0)).toBe(true);
    expect(report.warnings[0]).toMatchObject({
      path: 'policies["p"].circumstances[0].regex',
      message: expect.stringContaining("not a valid regular expression"),
    });
  });

  test("a miss explains each circumstance; with all, only the ones that fail", () => {
    const tenant = (operator: "any" | "all") => ({
      dataSources: [connection(sources)],
      policies: [
        subscription(
          "p",
          { type: "anyone" },
          {
            circumstances: [
              { type: "tags", tag: "Finance" },
              { type: "columnRegex", regex: "^id$" },
            ],
            circumstanceOperator: operator,
          },
        ),
      ],
      catalog,
    });
    expect(
      accessTo(tenant("all"), {}, "public.plain", { detail: "full" }).notApplied?.[0].why,
    ).toBe(
      "not all of its circumstances hold: tags Finance: the data source is not tagged Finance or under it (it has no tags)",
    );
    expect(accessTo(tenant("any"), {}, "daily count", { detail: "full" }).notApplied?.[0].why).toBe(
      "none of its circumstances holds: tags Finance: the data source is not tagged Finance or under it (it has no tags); columnRegex /^id$/: the data source has no known columns",
    );
  });
});

describe("staged policies and owner restrictions", () => {
  test("a staged policy is listed where it would apply, flagged, and not enforced", () => {
    const report = simulateAccess(
      {
        dataSources: [connection(sources)],
        policies: [
          subscription(
            "later",
            { type: "anyone" },
            { staged: true, circumstances: [{ type: "tags", tag: "Finance" }] },
          ),
        ],
        catalog,
      },
      {},
    );
    const orders = report.dataSources.find((d) => d.name === "public.orders")!;
    expect(orders.policies).toEqual([
      {
        policyKey: "later",
        name: "later",
        type: "subscription",
        staged: true,
        enforced: false,
        why: "tags Finance: the data source is tagged Finance; staged: not enforced",
      },
    ]);
    expect(orders.subscription.access).toBe("none");
  });

  test("with owners unknown (no owners in the payload, no caller), an owner-restricted policy is not enforced, and says why", () => {
    const report = simulateAccess(
      {
        dataSources: [connection(sources)],
        policies: [
          subscription("mine", { type: "anyone" }, { ownerRestrictions: { groups: ["team"] } }),
        ],
        catalog,
      },
      {},
      { dataSources: ["public.plain"] },
    );
    expect(report.dataSources[0].policies[0]).toMatchObject({
      enforced: false,
      why: "no circumstances: it applies to every data source; not enforced: ownerRestrictions (group team): the data source's owners are unknown (its connection payload has no owners and no caller was given)",
    });
  });
});
