/**
 * Row-level rules and purpose restrictions: what each rule type limits the user to, that rules of
 * several policies all apply (ours), the "otherwise" rule within a policy, and purposes met
 * directly, through a project, or through a sub-purpose.
 */
import type { DataRule, PolicyPayload } from "../../src/payload/types";
import { ANYONE, accessTo, catalogOf, connection, dataPolicy, table } from "./support";

const catalog = catalogOf({ public: { orders: ["id", "region", "amount", "ordered_at"] } });
const tenantWith = (policies: PolicyPayload[], extra: Record<string, unknown> = {}) => ({
  dataSources: [connection([table("orders", { columns: { region: ["Geo.Region"] } })])],
  policies: [ANYONE, ...policies],
  catalog,
  ...extra,
});
const orders = (policies: PolicyPayload[], user = {}, extra: Record<string, unknown> = {}) =>
  accessTo(tenantWith(policies, extra), user, "public.orders");
const rule = (
  type: DataRule["type"],
  config: Record<string, unknown>,
  extra: Partial<DataRule> = {},
) => ({ type, config, ...extra }) as DataRule;

describe("what each row-level rule limits the user to", () => {
  test("minimization, time restriction and entitlement matches read their config", () => {
    const access = orders(
      [
        dataPolicy("sample", [rule("Minimization", { percent: 25 })]),
        dataPolicy("recent", [rule("Time Restriction", { time: 30, unit: "days" })]),
        dataPolicy("by-region", [
          rule("Row Restriction By User Entitlements", {
            matches: [{ type: "attribute", attribute: "Region", columnTag: "Geo" }],
          }),
        ]),
      ],
      { attributes: { Region: ["EU", "UK"] } },
    );
    expect(access.rowFilters.map((f) => f.why)).toEqual([
      "by-region actions[0].rules[0] limits you to rows whose region is one of your values of Region (EU, UK)",
      "recent actions[0].rules[0] limits you to rows of the last 30 days",
      "sample actions[0].rules[0] limits you to 25% of the rows",
    ]);
    expect(access.rowFilters[0].columns).toEqual(["region"]);
    expect(access.visible).toBe(true);
  });

  test("rules of several policies all apply (ours): every where clause is listed", () => {
    const access = orders([
      dataPolicy("a", [
        rule("Row Restriction by Custom Where Clause", { predicate: "amount < 100" }),
      ]),
      dataPolicy("b", [
        rule("Row Restriction by Custom Where Clause", { predicate: "region = 'EU'" }),
      ]),
    ]);
    expect(access.rowFilters.map((f) => f.predicate)).toEqual(["amount < 100", "region = 'EU'"]);
  });

  test("within a policy, a where clause for a group and an otherwise clause for everyone else", () => {
    const policy = dataPolicy("regional", [
      rule(
        "Row Restriction by Custom Where Clause",
        { predicate: "region = 'EU'" },
        { inclusions: { groups: ["eu-team"] } },
      ),
      rule("Row Restriction by Custom Where Clause", { predicate: "1 = 0" }),
    ]);
    expect(orders([policy], { groups: ["eu-team"] }).rowFilters.map((f) => f.predicate)).toEqual([
      "region = 'EU'",
    ]);
    expect(orders([policy], { groups: ["us-team"] }).rowFilters.map((f) => f.predicate)).toEqual([
      "1 = 0",
    ]);
  });

  test("an excused user is listed with the rule and why, and gets no filter", () => {
    const access = orders(
      [
        dataPolicy("sample", [
          rule("Minimization", { percent: 10 }, { exceptions: { groups: ["admins"] } }),
        ]),
      ],
      { groups: ["admins"] },
    );
    expect(access.rowFilters).toEqual([]);
    expect(access.excused).toEqual([
      {
        rule: expect.objectContaining({ policyKey: "sample", type: "Minimization" }),
        why: "sample actions[0].rules[0] (Minimization): its exceptions excuse you: member of group admins",
      },
    ]);
  });

  test("a config the simulator does not interpret is shown as given, without the $unchecked marker", () => {
    const access = orders([
      dataPolicy("custom", [rule("Time Restriction", { $unchecked: true, window: "P30D" })]),
    ]);
    expect(access.rowFilters[0].config).toEqual({ window: "P30D" });
    expect(access.rowFilters[0].why).toBe(
      'custom actions[0].rules[0] limits you to Time Restriction ({"window":"P30D"})',
    );
  });
});

describe("purpose restrictions", () => {
  const research = dataPolicy("research-only", [
    rule("Purpose Restriction", { purposes: ["Research"] }),
  ]);

  test("a user acting under no purpose cannot see the data source, and is told which purposes would do", () => {
    const access = orders([research]);
    expect(access.purposeRestrictions).toEqual([
      {
        rule: expect.objectContaining({ policyKey: "research-only", type: "Purpose Restriction" }),
        purposes: ["Research"],
        met: false,
        why: "research-only actions[0].rules[0] limits usage to Research; you act under no purpose",
      },
    ]);
    expect(access.visible).toBe(false);
    expect(access.why).toBe(
      "not visible: research-only actions[0].rules[0] limits usage to Research; you act under no purpose",
    );
  });

  test("acting under the purpose, or a sub-purpose of it (ours), meets it", () => {
    expect(orders([research], { purposes: ["Research"] }).visible).toBe(true);
    const sub = orders([research], { purposes: ["Research.Clinical"] });
    expect(sub.visible).toBe(true);
    expect(sub.purposeRestrictions[0].why).toBe(
      "research-only actions[0].rules[0] limits usage to Research; you act under Research.Clinical",
    );
    // A parent does not meet a restriction to its sub-purpose.
    const clinical = dataPolicy("clinical-only", [
      rule("Purpose Restriction", { purposes: ["Research.Clinical"] }),
    ]);
    expect(orders([clinical], { purposes: ["Research"] }).visible).toBe(false);
  });

  test("a project's purposes are the user's when acting under it", () => {
    const extra = {
      purposes: [{ name: "Research", subpurposes: [{ name: "Research.Clinical" }] }],
      projects: [
        {
          projectKey: "trial",
          name: "Trial",
          purposes: ["Research.Clinical"],
          datasources: ["public.orders"],
        },
      ],
    };
    const access = orders([research], { project: "trial" }, extra);
    expect(access).toMatchObject({ visible: true, inProject: true });
    expect(access.purposeRestrictions[0].met).toBe(true);
  });

  test("purpose restrictions of several policies must each be met (ours)", () => {
    const fraud = dataPolicy("fraud-only", [rule("Purpose Restriction", { purposes: ["Fraud"] })]);
    const access = orders([research, fraud], { purposes: ["Research"] });
    expect(access.purposeRestrictions.map((p) => [p.rule.policyKey, p.met])).toEqual([
      ["fraud-only", false],
      ["research-only", true],
    ]);
    expect(access.visible).toBe(false);
  });
});
