/**
 * The access matchers: they pass and fail as the simulator answers, and a failure says why in the
 * simulator's words (the deciding rule; for a simulation, also what does not apply and why).
 */
import { registerAccessMatchers, simulateAccess } from "../../src/testing";
import type { AccessReport } from "../../src/access";
import { TerraformData } from "../../providers";
import { GlobalPolicy } from "../../src/constructs";
import { CATALOG, governance, plain, stackWith } from "./support";

registerAccessMatchers(expect);

const stack = stackWith(governance);
const simulate = (user: Parameters<typeof simulateAccess>[1]) =>
  simulateAccess(stack, user, { catalog: CATALOG });
const analyst = simulate({ name: "analyst", groups: ["Analysts"] });
const officer = simulate({ name: "privacy officer", groups: ["Analysts", "Privacy Officers"] });
const sales = simulate({ name: "global sales", groups: ["Analysts", "Global Sales"] });
const outsider = simulate({ name: "outsider" });

/** The message of a failing expectation, colour codes removed. */
function failure(assertion: () => void): string {
  try {
    assertion();
  } catch (error) {
    return plain((error as Error).message);
  }
  throw new Error("the expectation passed");
}

describe("toSee a data source", () => {
  it("passes when the user can query it, and .not when they cannot", () => {
    expect(analyst).toSee("public.customers");
    expect(outsider).not.toSee("public.customers");
  });

  it("says why a data source is not visible: the deciding policy, and the ones that give way", () => {
    expect(failure(() => expect(outsider).toSee("public.orders"))).toBe(
      [
        "expect(access).toSee(dataSource)",
        "",
        "Expected outsider to see public.orders.",
        "public.orders is not visible: analysts-subscribe: not a member of group Analysts",
        "  hr-manual does not apply to public.orders: tags HR: the data source is not tagged HR or under it (it has [Source.Warehouse])",
      ].join("\n"),
    );
    const hr = failure(() => expect(analyst).toSee("hr.salaries"));
    expect(hr).toContain(
      "hr.salaries is not visible: hr-manual: only an owner can add users (individual users you select)\n" +
        "  analysts-subscribe gives way: entitlements is less restrictive than manual (hr-manual)",
    );
  });

  it("with .not, says why the user does see it", () => {
    expect(failure(() => expect(analyst).not.toSee("public.orders"))).toContain(
      "Expected analyst not to see public.orders.\n" +
        "public.orders is visible: analysts-subscribe: member of group Analysts: subscribed automatically (automaticSubscription)",
    );
  });
});

describe("toSee a column", () => {
  it("passes on the column's state and masking type", () => {
    expect(analyst).toSee("public.customers", { column: "name", as: "masked", masking: "Hash" });
    expect(analyst).toSee("public.customers", { column: "name", masking: "hash" });
    expect(analyst).toSee("public.customers", { column: "email", as: "clear" });
    expect(analyst).toSee("public.customers", { column: "email" });
    expect(officer).toSee("public.customers", { column: "name", as: "clear" });
    expect(outsider).toSee("public.customers", { column: "name", as: "hidden" });
    expect(outsider).not.toSee("public.customers", { column: "name" });
    expect(analyst).not.toSee("public.customers", { column: "name", masking: "Null" });
  });

  it("says why a column is clear: which masking rules are in force, and that none targets it", () => {
    expect(
      failure(() =>
        expect(analyst).toSee("public.customers", {
          column: "email",
          as: "masked",
          masking: "Hash",
        }),
      ),
    ).toBe(
      [
        "expect(access).toSee(dataSource, expected)",
        "",
        "Expected analyst to see public.customers.email masked (Hash).",
        "email is clear: no masking rule in force targets email, which has [Contact]; masking rules in force here: mask-pii actions[0].rules[0] (columnTag PII); staged (not enforced): mask-contact-staged actions[0].rules[0] would mask it",
        "  mask-pii actions[0].rules[0]: its fields (columnTag PII) do not target email, which has [Contact]",
      ].join("\n"),
    );
  });

  it("says when no masking policy applies to the data source at all, and why", () => {
    const message = failure(() =>
      expect(analyst).toSee("public.orders", { column: "amount", as: "masked" }),
    );
    expect(message).toContain(
      "amount is clear: no masking rule in force targets amount, which has no tags; no masking policy applies to this data source",
    );
    expect(message).toContain(
      "  mask-pii does not apply to public.orders: columnTags PII: no column is tagged PII or under it",
    );
  });

  it("says how a column is masked when another masking is expected, and who is excused", () => {
    expect(
      failure(() => expect(analyst).toSee("public.customers", { column: "name", masking: "Null" })),
    ).toContain(
      "Expected analyst to see public.customers.name masked (Null).\n" +
        "name is masked (Hash): masked (Hash) by mask-pii actions[0].rules[0]: columnTag PII matches its tag PII",
    );
    expect(
      failure(() => expect(officer).toSee("public.customers", { column: "name", as: "masked" })),
    ).toContain(
      "name is clear: mask-pii actions[0].rules[0] targets name (columnTag PII matches its tag PII) but its exceptions excuse you: member of group Privacy Officers",
    );
  });

  it("says why a column is hidden: the data source is not visible", () => {
    expect(
      failure(() => expect(outsider).toSee("public.customers", { column: "email", as: "clear" })),
    ).toContain(
      "email is hidden: not visible: analysts-subscribe: not a member of group Analysts; once visible: no masking rule",
    );
  });
});

describe("toSubscribe", () => {
  it("passes on how, and through which policy", () => {
    expect(analyst).toSubscribe("public.orders");
    expect(analyst).toSubscribe("public.orders", { level: "automatic", via: "analysts-subscribe" });
    expect(analyst).not.toSubscribe("public.orders", { level: "self" });
    expect(analyst).not.toSubscribe("public.orders", { via: "hr-manual" });
    expect(analyst).not.toSubscribe("hr.salaries");
    expect(outsider).not.toSubscribe("public.orders");
  });

  it("says which policy decides, and why the others give way", () => {
    expect(failure(() => expect(analyst).toSubscribe("hr.salaries"))).toBe(
      [
        "expect(access).toSubscribe(dataSource)",
        "",
        "Expected analyst to be able to subscribe to hr.salaries.",
        "hr.salaries: only an owner can add them (hr-manual decides): hr-manual: only an owner can add users (individual users you select)",
        "  analysts-subscribe gives way: entitlements is less restrictive than manual (hr-manual); the most restrictive subscription policy decides (ours, see src/access/choices.ts)",
      ].join("\n"),
    );
    expect(
      failure(() =>
        expect(analyst).not.toSubscribe("public.orders", { via: "analysts-subscribe" }),
      ),
    ).toContain(
      "Expected analyst not to be able to subscribe to public.orders through policy analysts-subscribe.\n" +
        "public.orders: subscribed automatically (analysts-subscribe decides): analysts-subscribe: member of group Analysts",
    );
  });
});

describe("toFilterRows", () => {
  it("passes on a row filter in force, by kind, policy and predicate", () => {
    expect(analyst).toFilterRows("public.customers");
    expect(analyst).toFilterRows("public.customers", {
      by: "where",
      policy: "eu-rows",
      predicate: "country  =  'EU'",
    });
    expect(analyst).toFilterRows("public.customers", { predicate: /'EU'/ });
    expect(analyst).not.toFilterRows("public.customers", { by: "minimization" });
    expect(analyst).not.toFilterRows("public.orders");
    expect(sales).not.toFilterRows("public.customers");
  });

  it("lists the filters in force and the rules the user is excused from", () => {
    expect(failure(() => expect(analyst).toFilterRows("public.customers", { by: "time" }))).toBe(
      [
        "expect(access).toFilterRows(dataSource, expected)",
        "",
        "Expected analyst's rows of public.customers to be filtered by a Time Restriction.",
        "Row filters in force:",
        "  eu-rows actions[0].rules[0] limits you to rows where country = 'EU'",
      ].join("\n"),
    );
    expect(failure(() => expect(sales).toFilterRows("public.customers"))).toContain(
      "No row filter is in force for them on public.customers.\n" +
        "Excused:\n" +
        "  eu-rows actions[0].rules[0] (Row Restriction by Custom Where Clause): its exceptions excuse you: member of group Global Sales",
    );
    expect(failure(() => expect(analyst).toFilterRows("public.orders"))).toContain(
      "  eu-rows does not apply to public.orders: columnRegex",
    );
  });
});

describe("names that do not exist are errors, with or without .not", () => {
  it("names the data sources there are, and a close one", () => {
    for (const assertion of [
      () => expect(analyst).toSee("customers"),
      () => expect(analyst).not.toSee("customers"),
      () => expect(analyst).not.toSubscribe("customers"),
      () => expect(analyst).not.toFilterRows("customers"),
    ]) {
      expect(failure(assertion)).toContain(
        'No data source "customers" in the simulated tenant (did you mean "public.customers"?); ' +
          "it has hr.salaries, public.customers, public.orders",
      );
    }
  });

  it("names a data source's columns, and says when only tagged columns are known", () => {
    expect(
      failure(() => expect(analyst).not.toSee("public.orders", { column: "price", as: "clear" })),
    ).toContain('No column "price" in public.orders; it has id, customer_id, amount');
    const withoutCatalog = simulateAccess(stack, { groups: ["Analysts"] });
    expect(
      failure(() => expect(withoutCatalog).not.toSee("public.customers", { column: "id" })),
    ).toContain(
      'No column "id" in public.customers; it has email, name; no catalog lists its table, so only the columns its column tags name are known',
    );
  });

  it("refuses an expectation it does not understand", () => {
    const cases: [() => void, string][] = [
      [
        () => expect(analyst).toSee("public.orders", { colum: "id" } as never),
        'Unknown field "colum" in the expectation (it takes column, as, masking)',
      ],
      [
        () => expect(analyst).toSee("public.orders", { as: "clear" }),
        '"as" and "masking" describe a column: give "column" too',
      ],
      [
        () => expect(analyst).toSee("public.orders", { column: "id", as: "visible" as never }),
        '"as" must be "clear", "masked" or "hidden" (got "visible")',
      ],
      [
        () => expect(analyst).toSubscribe("public.orders", { level: "manual" as never }),
        '"level" must be "automatic", "self" or "approval" (got "manual")',
      ],
      [
        () => expect(analyst).toFilterRows("public.orders", { by: "rows" as never }),
        '"by" must be one of where, entitlements, time, minimization (got "rows")',
      ],
      [
        () => expect({ dataSources: [] }).toSee("public.orders"),
        "The received value must be an access simulation",
      ],
    ];
    for (const [assertion, message] of cases) expect(failure(assertion)).toContain(message);
  });
});

describe("on a plain access report (the JSON of immuta-v2 access --json)", () => {
  const report = JSON.parse(JSON.stringify(analyst)) as AccessReport;

  it("answers the same, and names the user by what they are", () => {
    expect(report).toSee("public.customers", { column: "name", masking: "Hash" });
    expect(report).not.toSubscribe("hr.salaries");
    expect(failure(() => expect(report).toSee("hr.salaries"))).toContain(
      "Expected a user in group Analysts to see hr.salaries.\nhr.salaries is not visible: hr-manual",
    );
  });
});

describe("partial answers say so", () => {
  it("lists the simulator's warnings in a failure message", () => {
    const warned = simulateAccess(
      stackWith((s, provider) => {
        governance(s, provider);
        new GlobalPolicy(s, "bad-regex", {
          policyKey: "bad-regex",
          name: "Bad regex",
          type: "subscription",
          actions: { type: "anyone" },
          circumstances: [{ type: "columnRegex", regex: "(" }],
        });
      }),
      { name: "analyst", groups: ["Analysts"] },
      { catalog: CATALOG },
    );
    expect(failure(() => expect(warned).not.toSee("public.orders"))).toMatch(
      /\n\nSimulator warnings:\n {2}policies\["bad-regex"\]\.circumstances\[0\]\.regex: not a valid regular expression/,
    );
  });

  it("lists the objects left out of the simulation in a failure message", () => {
    const skipped = simulateAccess(
      stackWith((s, provider) => {
        governance(s, provider);
        const other = new TerraformData(s, "policy-name", { input: "mask-late" });
        new GlobalPolicy(s, "late", {
          policyKey: "late",
          name: "Late",
          type: "data",
          actions: [
            {
              rules: [
                {
                  type: "Masking",
                  config: {
                    fields: [{ type: "columnTags", columnTag: other.getStringAttribute("output") }],
                    maskingConfig: { type: "Null" },
                  },
                },
              ],
            },
          ],
        });
      }),
      { name: "analyst", groups: ["Analysts"] },
      { catalog: CATALOG, unresolved: "skip" },
    );
    expect(failure(() => expect(skipped).not.toSee("public.orders"))).toContain(
      '\n\nNot simulated (unresolved: "skip"):\n' +
        '  policy "late" (governance/late): actions[0].rules[0].config.fields[0].columnTag is known only at apply time',
    );
  });
});
