/**
 * Subscription policies together on one data source: entitlement policies merge with OR
 * (documented), other levels conflict and the most restrictive decides (ours), each answer naming
 * the deciding policy and the overridden ones.
 */
import type { PolicyPayload, SubscriptionActions } from "../../src/payload/types";
import { accessTo, catalogOf, connection, subscription, table } from "./support";

const catalog = catalogOf({ public: { customers: ["id", "email"] } });
const tenantWith = (...policies: PolicyPayload[]) => ({
  dataSources: [connection([table("customers")])],
  policies,
  catalog,
});
const entitled = (key: string, groups: string[], extra: Partial<SubscriptionActions> = {}) =>
  subscription(key, { type: "entitlements", entitlements: { groups }, ...extra });
const on = (tenant: ReturnType<typeof tenantWith>, groups: string[] = []) =>
  accessTo(tenant, { groups }, "public.customers").subscription;

describe("entitlement policies merge with OR", () => {
  const tenant = tenantWith(
    entitled("finance", ["finance"]),
    entitled("sales", ["sales"], { automaticSubscription: true }),
  );

  test("meeting one is enough; the met one decides and is listed as matched", () => {
    expect(on(tenant, ["sales"])).toMatchObject({
      access: "automatic",
      policy: { policyKey: "sales" },
      matched: [{ policyKey: "sales", name: "sales" }],
    });
    expect(on(tenant, ["finance"])).toMatchObject({
      access: "self",
      policy: { policyKey: "finance" },
      matched: [{ policyKey: "finance", name: "finance" }],
    });
  });

  test("meeting both: automatic subscription wins, and both are matched", () => {
    const decision = on(tenant, ["finance", "sales"]);
    expect(decision.access).toBe("automatic");
    expect(decision.matched.map((p) => p.policyKey)).toEqual(["finance", "sales"]);
  });

  test("meeting neither: denied, with each policy's reason", () => {
    const decision = on(tenant, ["hr"]);
    expect(decision.access).toBe("denied");
    expect(decision.why).toBe(
      "meets none of 2 entitlement policies: finance: not a member of group finance; sales: not a member of group sales",
    );
    expect(decision.overridden).toEqual([
      {
        policy: { policyKey: "sales", name: "sales" },
        why: expect.stringContaining("and not met either"),
      },
    ]);
  });

  test("operator all: every group and attribute is needed; any: one is enough", () => {
    const all = tenantWith(
      subscription("both", {
        type: "entitlements",
        entitlements: {
          operator: "all",
          groups: ["a", "b"],
          attributes: [{ name: "level", value: "3" }],
        },
      }),
    );
    expect(
      accessTo(all, { groups: ["a", "b"], attributes: { level: ["2", "3"] } }, "public.customers")
        .subscription.access,
    ).toBe("self");
    const missing = accessTo(
      all,
      { groups: ["a"], attributes: { level: "3" } },
      "public.customers",
    ).subscription;
    expect(missing).toMatchObject({ access: "denied" });
    expect(missing.why).toBe(
      "both: entitlements needs all of its conditions: not a member of group b",
    );
    const any = tenantWith(entitled("either", ["a", "b"]));
    expect(on(any, ["b"]).access).toBe("self");
  });

  test("an entitlements policy naming no group or attribute admits no one (ours)", () => {
    expect(
      on(tenantWith(subscription("empty", { type: "entitlements", entitlements: {} })), ["a"]),
    ).toMatchObject({ access: "denied", why: "empty: entitlements names no one" });
  });

  test("allowDiscovery makes a denied source discoverable", () => {
    expect(on(tenantWith(entitled("x", ["x"], { allowDiscovery: true })), []).discoverable).toBe(
      true,
    );
    expect(on(tenantWith(entitled("x", ["x"])), []).discoverable).toBe(false);
  });
});

describe("different restriction levels: the most restrictive decides (ours)", () => {
  const anyone = subscription("a-anyone", { type: "anyone", automaticSubscription: true });
  const approval = subscription("b-approval", {
    type: "approval",
    approvals: [{ requiredPermission: "GOVERNANCE" }],
  });
  const manual = subscription("c-manual", { type: "manual" });

  test("anyone + approval: approval", () => {
    const decision = on(tenantWith(anyone, approval));
    expect(decision).toMatchObject({ access: "approval", policy: { policyKey: "b-approval" } });
    expect(decision.overridden.map((o) => o.policy.policyKey)).toEqual(["a-anyone"]);
  });

  test("entitlements + approval: entitlements, whether or not the user meets them", () => {
    const tenant = tenantWith(approval, entitled("d-ent", ["team"]));
    expect(on(tenant, ["team"])).toMatchObject({ access: "self", policy: { policyKey: "d-ent" } });
    expect(on(tenant, [])).toMatchObject({ access: "denied", policy: { policyKey: "d-ent" } });
    expect(on(tenant, []).overridden).toEqual([
      {
        policy: { policyKey: "b-approval", name: "b-approval" },
        why: "approval is less restrictive than entitlements (d-ent); the most restrictive subscription policy decides (ours, see src/access/choices.ts)",
      },
    ]);
  });

  test("manual beats everything", () => {
    const decision = on(tenantWith(anyone, approval, manual, entitled("d-ent", ["team"])), [
      "team",
    ]);
    expect(decision).toMatchObject({
      access: "manual",
      maySubscribe: false,
      policy: { policyKey: "c-manual" },
    });
    expect(decision.overridden.map((o) => o.policy.policyKey).sort()).toEqual([
      "a-anyone",
      "b-approval",
      "d-ent",
    ]);
  });

  test("two policies of one level: the first policyKey decides, whatever the payload order", () => {
    const second = subscription("z-approval", {
      type: "approval",
      approvals: [{ requiredPermission: "OWNER" }],
    });
    for (const order of [
      [approval, second],
      [second, approval],
    ]) {
      const decision = on(tenantWith(...order));
      expect(decision.policy?.policyKey).toBe("b-approval");
      expect(decision.overridden).toEqual([
        {
          policy: { policyKey: "z-approval", name: "z-approval" },
          why: expect.stringContaining("the first policyKey decides"),
        },
      ]);
    }
  });

  test("a staged subscription policy is not enforced: the active one decides", () => {
    const decision = on(tenantWith(anyone, { ...manual, staged: true }));
    expect(decision).toMatchObject({ access: "automatic", overridden: [] });
  });
});

describe("the advanced DSL", () => {
  const dsl = (advanced: string, tableTags: string[] = []) => ({
    dataSources: [
      connection([table("customers", { table: tableTags, columns: { email: ["Contact"] } })]),
    ],
    policies: [
      subscription("dsl", { type: "entitlements", advanced, automaticSubscription: true }),
    ],
    catalog,
  });
  const access = (advanced: string, user: Parameters<typeof accessTo>[1], tags: string[] = []) =>
    accessTo(dsl(advanced, tags), user, "public.customers").subscription;

  test("AND, OR, NOT and parentheses", () => {
    const rule = "(@isInGroups('a') OR @isInGroups('b')) AND NOT @hasAttribute('blocked', 'yes')";
    expect(access(rule, { groups: ["b"] }).access).toBe("automatic");
    expect(access(rule, { groups: ["b"], attributes: { blocked: "yes" } }).access).toBe("denied");
    expect(access(rule, { groups: ["c"] }).access).toBe("denied");
  });

  test("@hasTagAsAttribute and @hasTagAsGroup match the data source's or its columns' tags", () => {
    expect(
      access(
        "@hasTagAsAttribute('Department', 'dataSource')",
        { attributes: { Department: "Sales" } },
        ["Sales"],
      ).access,
    ).toBe("automatic");
    expect(
      access(
        "@hasTagAsAttribute('Department', 'dataSource')",
        { attributes: { Department: "HR" } },
        ["Sales"],
      ).access,
    ).toBe("denied");
    expect(access("@hasTagAsGroup('column')", { groups: ["Contact"] }).access).toBe("automatic");
  });

  test("a function the simulator cannot evaluate answers unknown, never a grant; a decisive side still decides", () => {
    expect(
      access("@hasAttribute('Access', '@hostname.@database')", { groups: ["a"] }),
    ).toMatchObject({
      access: "unknown",
      maySubscribe: false,
    });
    expect(access("@iam('okta') AND @isInGroups('a')", { groups: ["z"] }).access).toBe("denied");
    expect(access("@iam('okta') OR @isInGroups('a')", { groups: ["a"] }).access).toBe("automatic");
  });
});
