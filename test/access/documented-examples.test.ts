/**
 * Every policy example of Immuta's documentation that our reference files hold (the seed payloads
 * in test/fixtures/seed, the research notes' "Mask with Constant", and the subscription examples
 * of the older "Create Policies API Examples" page the notes cite as EX), each with expectations
 * written by hand from what its fields are documented to mean.
 */
import { tenantFromPayloads } from "../../src/access";
import type { PolicyPayload, SubscriptionPolicyPayload } from "../../src/payload/types";
import {
  ANYONE,
  DATABRICKS_CATALOG,
  accessTo,
  catalogOf,
  column,
  connection,
  seed,
  simulateAccess,
  table,
} from "./support";

const policies = seed("policies") as PolicyPayload[];
const policy = (key: string) => {
  const found = policies.find((p) => p.policyKey === key);
  if (!found) throw new Error(`no seed policy ${key}`);
  return found;
};
/** The seed's Databricks connection: `data credit_card_transactions` (PCI) and `crime data`. */
const databricks = seed("databricks");
const CARDS = "data credit_card_transactions";
const CRIME = "crime data";

describe("seed policy 'anyone can subscribe' (anyone, automaticSubscription, allowDiscovery, tags Source.Databricks)", () => {
  const tenant = tenantFromPayloads([...databricks, policy("anyone can subscribe")], {
    catalog: DATABRICKS_CATALOG,
  });

  test("a user with no groups or attributes is subscribed automatically to a source tagged Source.Databricks", () => {
    const crime = accessTo(tenant, {}, CRIME);
    expect(crime.subscription).toMatchObject({
      access: "automatic",
      maySubscribe: true,
      discoverable: true,
      policy: { policyKey: "anyone can subscribe", name: "Anyone can subscribe" },
    });
    expect(crime.visible).toBe(true);
    expect(crime.policies).toEqual([
      expect.objectContaining({
        policyKey: "anyone can subscribe",
        enforced: true,
        why: "tags Source.Databricks: the data source is tagged Source.Databricks",
      }),
    ]);
    expect(crime.columns.map((c) => [c.column, c.state])).toEqual([
      ["date", "clear"],
      ["district", "clear"],
      ["type", "clear"],
    ]);
  });

  test("a source without the tag gets no subscription policy: not visible, and says so", () => {
    const other = tenantFromPayloads([
      connection([table("customers")], { options: { tableTags: ["Source.Snowflake"] } }),
      policy("anyone can subscribe"),
    ]);
    const customers = accessTo(other, {}, "public.customers", { detail: "full" });
    expect(customers.subscription.access).toBe("none");
    expect(customers.visible).toBe(false);
    expect(customers.notApplied).toEqual([
      expect.objectContaining({
        policyKey: "anyone can subscribe",
        why: "tags Source.Databricks: the data source is not tagged Source.Databricks or under it (it has [Source.Snowflake])",
      }),
    ]);
  });
});

describe("seed policy 'approval to subscribe' (approval by OWNER, columnTags PCI)", () => {
  test("anyone may ask for the PCI source; an OWNER must approve; the docs' plural requiredPermissions is read", () => {
    const tenant = tenantFromPayloads([...databricks, policy("approval to subscribe")], {
      catalog: DATABRICKS_CATALOG,
    });
    const cards = accessTo(tenant, {}, CARDS);
    expect(cards.subscription).toMatchObject({
      access: "approval",
      maySubscribe: true,
      approvals: [{ requiredPermission: "OWNER", specificApproverRequired: false }],
    });
    expect(cards.visible).toBe(false);
    expect(cards.policies[0].why).toBe("columnTags PCI: column transaction_date is tagged PCI");
    // crime data has no PCI column: no subscription policy.
    expect(accessTo(tenant, {}, CRIME).subscription.access).toBe("none");
    // Once approved, the user sees it.
    expect(accessTo(tenant, {}, CARDS, { assumeApproved: true }).visible).toBe(true);
  });

  test("with 'anyone can subscribe' also on the PCI source, the approval (more restrictive) decides and names the other", () => {
    const tenant = tenantFromPayloads(
      [...databricks, policy("anyone can subscribe"), policy("approval to subscribe")],
      { catalog: DATABRICKS_CATALOG },
    );
    const cards = accessTo(tenant, {}, CARDS);
    expect(cards.subscription.access).toBe("approval");
    expect(cards.subscription.policy?.policyKey).toBe("approval to subscribe");
    expect(cards.subscription.overridden).toEqual([
      {
        policy: { policyKey: "anyone can subscribe", name: "Anyone can subscribe" },
        why: expect.stringContaining("anyone is less restrictive than approval"),
      },
    ]);
    expect(accessTo(tenant, {}, CRIME).subscription.access).toBe("automatic");
  });
});

describe("seed policy 'entitlements' (all of Analysts and Department=Finance, an advanced DSL, columnRegex ^email$ case-insensitive)", () => {
  const tenant = tenantFromPayloads(
    [connection([table("customers"), table("contacts")]), policy("entitlements")],
    {
      catalog: catalogOf({
        public: { customers: ["id", "EMAIL"], contacts: ["id", "email_address"] },
      }),
    },
  );

  test("the regex matches EMAIL (case-insensitive) but not email_address (anchored)", () => {
    expect(accessTo(tenant, {}, "public.customers").policies.map((p) => p.policyKey)).toEqual([
      "entitlements",
    ]);
    expect(accessTo(tenant, {}, "public.contacts").policies).toEqual([]);
  });

  test("the advanced DSL decides (ours): Engineers with Auth1=Super Secret may subscribe, themselves (no automaticSubscription)", () => {
    const engineer = accessTo(
      tenant,
      { groups: ["Engineers"], attributes: { Auth1: "Super Secret" } },
      "public.customers",
    );
    expect(engineer.subscription).toMatchObject({ access: "self", maySubscribe: true });
    expect(engineer.subscription.why).toContain(
      "member of group Engineers and has attribute Auth1=Super Secret",
    );
    expect(engineer.visible).toBe(true);
  });

  test("a Finance analyst without the DSL's group is denied, and the why quotes the DSL's failing part", () => {
    const analyst = accessTo(
      tenant,
      { groups: ["Analysts"], attributes: { Department: "Finance" } },
      "public.customers",
    );
    expect(analyst.subscription).toMatchObject({ access: "denied", maySubscribe: false });
    expect(analyst.subscription.why).toContain("not a member of group Engineers or group Founders");
    expect(analyst.visible).toBe(false);
  });

  test("without the DSL, operator all needs both the group and the attribute", () => {
    const seeded = policy("entitlements") as SubscriptionPolicyPayload;
    const { advanced: _, ...actions } = seeded.actions;
    const builder = tenantFromPayloads([connection([table("customers")]), { ...seeded, actions }], {
      catalog: catalogOf({ public: { customers: ["id", "email"] } }),
    });
    const both = { groups: ["Analysts"], attributes: { Department: "Finance" } };
    expect(accessTo(builder, both, "public.customers").subscription.access).toBe("self");
    const groupOnly = accessTo(builder, { groups: ["Analysts"] }, "public.customers");
    expect(groupOnly.subscription.access).toBe("denied");
    expect(groupOnly.subscription.why).toContain("has no attribute Department");
  });
});

describe("seed policy 'data mask constant' (the research notes' 'Mask with Constant': Constant REDACTED on Discovered.Country, except auth=SOMETHING_ELSE)", () => {
  const tenant = tenantFromPayloads(
    [
      connection([
        table("customers", { columns: { country: ["Discovered.Country"] } }),
        table("visits", { columns: { country: ["Discovered.Country.Code"] } }),
        table("orders"),
      ]),
      ANYONE,
      policy("data mask constant"),
    ],
    {
      catalog: catalogOf({
        public: {
          customers: ["id", "email", "country"],
          visits: ["id", "country"],
          orders: ["id", "amount"],
        },
      }),
    },
  );

  test("a user without the attribute sees country masked with the constant, named by policy and rule; email stays clear", () => {
    const customers = accessTo(tenant, {}, "public.customers");
    expect(column(customers, "country")).toMatchObject({
      state: "masked",
      masking: {
        type: "Constant",
        config: { constant: "REDACTED" },
        rule: { policyKey: "data mask constant", rule: "actions[0].rules[0]", type: "Masking" },
        matchedBy: "columnTag Discovered.Country matches its tag Discovered.Country",
      },
    });
    expect(column(customers, "email")).toMatchObject({ state: "clear" });
    expect(column(customers, "email").why).toBe(
      "no masking rule in force targets email, which has no tags; masking rules in force here: data mask constant actions[0].rules[0] (columnTag Discovered.Country)",
    );
  });

  test("a user with auth=SOMETHING_ELSE is excused by the rule's exception", () => {
    const country = column(
      accessTo(tenant, { attributes: { auth: "SOMETHING_ELSE" } }, "public.customers"),
      "country",
    );
    expect(country.state).toBe("clear");
    expect(country.excused).toEqual({
      rule: {
        policyKey: "data mask constant",
        name: "Mask with Constant",
        rule: "actions[0].rules[0]",
        type: "Masking",
      },
      why: "its exceptions excuse you: has attribute auth=SOMETHING_ELSE",
    });
  });

  test("another value of the attribute does not excuse", () => {
    const country = column(
      accessTo(tenant, { attributes: { auth: "OTHER" } }, "public.customers"),
      "country",
    );
    expect(country.state).toBe("masked");
  });

  test("a column tagged under Discovered.Country (tag hierarchy) is masked too", () => {
    expect(column(accessTo(tenant, {}, "public.visits"), "country")).toMatchObject({
      state: "masked",
      masking: {
        matchedBy: "columnTag Discovered.Country matches its tag Discovered.Country.Code",
      },
    });
  });

  test("a source without such a column is outside the policy's circumstance", () => {
    const orders = accessTo(tenant, {}, "public.orders");
    expect(orders.policies.map((p) => p.policyKey)).toEqual(["anyone"]);
    expect(orders.columns.every((c) => c.state === "clear")).toBe(true);
  });
});

describe("seed policy 'hash pii for contractors' (staged; Hash PII for Contractors only; a where clause; owner restrictions)", () => {
  const sources = [table("people", { columns: { email: ["PII.Email"], name: ["PII"] } })];
  const catalog = catalogOf({ public: { people: ["id", "email", "name", "country"] } });
  const contractor = { groups: ["Contractors"], attributes: { Country: "NL" } };

  test("staged: nothing is enforced, yet the staged rule is named on the columns it would mask", () => {
    const tenant = tenantFromPayloads(
      [
        connection(sources, { owners: [{ type: "group", name: "Data Owners" }] }),
        ANYONE,
        policy("hash pii for contractors"),
      ],
      { catalog },
    );
    const people = accessTo(tenant, contractor, "public.people");
    expect(people.policies.find((p) => p.policyKey === "hash pii for contractors")).toMatchObject({
      staged: true,
      enforced: false,
      why: "no circumstances: it applies to every data source; staged: not enforced",
    });
    expect(column(people, "email")).toMatchObject({
      state: "clear",
      staged: [
        expect.objectContaining({
          policyKey: "hash pii for contractors",
          rule: "actions[0].rules[0]",
        }),
      ],
    });
    expect(people.rowFilters).toEqual([]);
  });

  const active = { ...policy("hash pii for contractors"), staged: false } as PolicyPayload;

  test("activated on a source owned by group Data Owners: Contractors see PII hashed, and the where clause applies", () => {
    const tenant = tenantFromPayloads(
      [connection(sources, { owners: [{ type: "group", name: "Data Owners" }] }), ANYONE, active],
      { catalog },
    );
    const people = accessTo(tenant, contractor, "public.people");
    expect(column(people, "email").masking).toMatchObject({
      type: "Hash",
      matchedBy: "columnTag PII matches its tag PII.Email",
    });
    expect(column(people, "name").masking?.type).toBe("Hash");
    expect(column(people, "country").state).toBe("clear");
    expect(people.rowFilters).toEqual([
      expect.objectContaining({
        rule: expect.objectContaining({
          rule: "actions[0].rules[1]",
          type: "Row Restriction by Custom Where Clause",
        }),
        predicate: "country = @attributeValue('Country')",
        why: "hash pii for contractors actions[0].rules[1] limits you to rows where country = @attributeValue('Country')",
      }),
    ]);
  });

  test("activated: an employee (not in Contractors) sees PII clear, left out by the inclusions, and still gets the where clause", () => {
    const tenant = tenantFromPayloads(
      [connection(sources, { owners: [{ type: "group", name: "Data Owners" }] }), ANYONE, active],
      { catalog },
    );
    const people = accessTo(tenant, { groups: ["Employees"] }, "public.people");
    expect(column(people, "email")).toMatchObject({
      state: "clear",
      excused: { why: "its inclusions leave you out: not a member of group Contractors" },
    });
    expect(people.rowFilters).toHaveLength(1);
  });

  test("activated on a source the restricted owners do not own: listed, not enforced, and why", () => {
    const tenant = tenantFromPayloads(
      [connection(sources, { owners: [{ type: "group", name: "Marketing" }] }), ANYONE, active],
      { catalog, caller: "svc-terraform" },
    );
    const people = accessTo(tenant, contractor, "public.people");
    expect(people.policies.find((p) => p.policyKey === "hash pii for contractors")).toMatchObject({
      enforced: false,
      why: expect.stringContaining(
        "ownerRestrictions: the policy is restricted to data sources owned by user owner@example.com, group Data Owners; this one is owned by user svc-terraform, group Marketing",
      ),
    });
    expect(column(people, "email").state).toBe("clear");
    expect(people.rowFilters).toEqual([]);
  });

  test("the caller named like a restricted user owns every source it creates", () => {
    const tenant = tenantFromPayloads([connection(sources, { owners: [] }), ANYONE, active], {
      catalog,
      caller: "owner@example.com",
    });
    expect(column(accessTo(tenant, contractor, "public.people"), "email").state).toBe("masked");
  });
});

describe("the subscription examples of 'Create Policies API Examples' (EX)", () => {
  const catalog = catalogOf({
    public: { customers: ["id", "ssn_last4", "name"], orders: ["id", "SSN"] },
  });
  const source = connection([
    table("customers", { table: ["Discovered"], columns: { name: ["Discovered.Entity"] } }),
    table("orders"),
  ]);
  const ex = (p: PolicyPayload) => tenantFromPayloads([source, p], { catalog });

  test("Anyone (automaticSubscription false, tags Discovered): anyone may subscribe, themselves", () => {
    const tenant = ex({
      name: "Anyone",
      policyKey: "subscription anyone",
      type: "subscription",
      actions: { type: "anyone", automaticSubscription: false, description: "Rationale" },
      circumstances: [{ type: "tags", tag: "Discovered" }],
    });
    expect(accessTo(tenant, {}, "public.customers").subscription).toMatchObject({
      access: "self",
      maySubscribe: true,
    });
    expect(accessTo(tenant, {}, "public.customers").visible).toBe(true);
    expect(accessTo(tenant, {}, "public.orders").subscription.access).toBe("none");
  });

  test("Approval (OWNER, and GOVERNANCE as a specific approver; columnTags Discovered): both approvals listed", () => {
    const tenant = ex({
      name: "Approval",
      policyKey: "subscription approval",
      type: "subscription",
      actions: {
        type: "approval",
        approvals: [
          { specificApproverRequired: false, requiredPermission: "OWNER" },
          { specificApproverRequired: true, requiredPermission: "GOVERNANCE" },
        ],
        description: "Rationale",
      },
      circumstances: [{ type: "columnTags", columnTag: "Discovered" }],
    });
    const customers = accessTo(tenant, {}, "public.customers");
    expect(customers.subscription.approvals).toEqual([
      { requiredPermission: "OWNER", specificApproverRequired: false },
      { requiredPermission: "GOVERNANCE", specificApproverRequired: true },
    ]);
    expect(customers.subscription.why).toBe(
      "subscription approval: anyone may ask; approval needed from OWNER and GOVERNANCE (a specific approver)",
    );
    expect(accessTo(tenant, {}, "public.orders").subscription.access).toBe("none");
  });

  const entitlement: PolicyPayload = {
    name: "Entitlement",
    policyKey: "subscription entitlements",
    type: "subscription",
    actions: {
      type: "entitlements",
      entitlements: {
        operator: "any",
        groups: ["Employee"],
        attributes: [{ name: "auth1", value: "SOMETHING_ELSE" }],
      },
      automaticSubscription: true,
      allowDiscovery: false,
      description: "Some description here",
    },
    circumstances: [{ type: "columnRegex", regex: "ssn", caseInsensitive: false }],
    staged: false,
  };

  test("Users with specific groups or attributes (any of group Employee, auth1=SOMETHING_ELSE; columnRegex ssn, case-sensitive)", () => {
    const tenant = ex(entitlement);
    expect(accessTo(tenant, { groups: ["Employee"] }, "public.customers").subscription.access).toBe(
      "automatic",
    );
    expect(
      accessTo(tenant, { attributes: { auth1: "SOMETHING_ELSE" } }, "public.customers").subscription
        .access,
    ).toBe("automatic");
    const outsider = accessTo(tenant, { groups: ["Guests"] }, "public.customers");
    expect(outsider.subscription).toMatchObject({ access: "denied", discoverable: false });
    expect(outsider.subscription.why).toBe(
      "subscription entitlements: not a member of group Employee, has no attribute auth1",
    );
    // "SSN" does not match the case-sensitive regex ssn.
    expect(accessTo(tenant, { groups: ["Employee"] }, "public.orders").subscription.access).toBe(
      "none",
    );
  });

  test("Users with specific groups or attributes (Advanced), as printed with its stray quote: unknown, with a warning", () => {
    const tenant = ex({
      ...entitlement,
      name: "Advanced Entitlement",
      policyKey: "subscription entitlements advanced boolean",
      actions: {
        type: "entitlements",
        advanced:
          "@isInGroups('Engineers', 'Founders'') AND @hasAttribute('Auth1', 'Super Secret')",
        automaticSubscription: true,
        allowDiscovery: false,
        description: "Some description here",
      },
    });
    const report = simulateAccess(
      tenant,
      { groups: ["Engineers"] },
      { dataSources: ["public.customers"] },
    );
    expect(report.dataSources[0].subscription).toMatchObject({
      access: "unknown",
      maySubscribe: false,
    });
    expect(report.dataSources[0].visible).toBe(false);
    expect(report.warnings).toEqual([
      {
        path: 'policies["subscription entitlements advanced boolean"].actions.advanced',
        message: expect.stringContaining("the advanced DSL cannot be read"),
      },
    ]);
  });

  test("Individual users you select (manual, no circumstances): every source, only owners add users, not discoverable", () => {
    const tenant = ex({
      name: "Manual",
      policyKey: "subscription manual",
      type: "subscription",
      actions: { type: "manual", description: "Rationale" },
    });
    for (const name of ["public.customers", "public.orders"]) {
      expect(accessTo(tenant, { groups: ["Employee"] }, name).subscription).toMatchObject({
        access: "manual",
        maySubscribe: false,
        discoverable: false,
        why: "subscription manual: only an owner can add users (individual users you select)",
      });
    }
  });

  test("Data owner restrictions (user user@example.com, group engineers): only the sources they own", () => {
    // The page's excerpt ends before the masking type; Hash stands in for it here.
    const restricted: PolicyPayload = {
      name: "Owner Restricted Policy",
      policyKey: "data owner restriction",
      type: "data",
      ownerRestrictions: {
        users: [{ iamid: "bim", username: "user@example.com" }],
        groups: ["engineers"],
      },
      actions: [
        {
          rules: [
            {
              type: "Masking",
              config: {
                fields: [{ type: "columnTags", columnTag: "Discovered.Passport" }],
                maskingConfig: { type: "Hash" },
              },
            },
          ],
        },
      ],
    };
    const passports = catalogOf({ public: { travellers: ["id", "passport"] } });
    const owned = (owners: { type: "user" | "group"; name: string }[]) =>
      tenantFromPayloads(
        [
          connection([table("travellers", { columns: { passport: ["Discovered.Passport"] } })], {
            owners,
          }),
          ANYONE,
          restricted,
        ],
        { catalog: passports },
      );
    const byEngineers = accessTo(
      owned([{ type: "group", name: "engineers" }]),
      {},
      "public.travellers",
    );
    expect(column(byEngineers, "passport").state).toBe("masked");
    const byUser = accessTo(
      owned([{ type: "user", name: "user@example.com" }]),
      {},
      "public.travellers",
    );
    expect(column(byUser, "passport").state).toBe("masked");
    const byOthers = accessTo(owned([{ type: "group", name: "sales" }]), {}, "public.travellers");
    expect(column(byOthers, "passport").state).toBe("clear");
    expect(byOthers.policies.find((p) => p.policyKey === "data owner restriction")?.enforced).toBe(
      false,
    );
  });
});

describe("the seed project 'fraud analysis' and purposes (a user acting under a project)", () => {
  const tenant = tenantFromPayloads(
    [...databricks, ...seed("purposes"), ...seed("projects"), ANYONE],
    { catalog: DATABRICKS_CATALOG },
  );

  test("acting under the project: its purposes are the user's, its approval policy is how they join", () => {
    const report = simulateAccess(tenant, { project: "fraud analysis" });
    expect(report.user.purposes).toEqual(["Purpose Hierarchy.Child 1"]);
    expect(report.user.project).toMatchObject({
      projectKey: "fraud analysis",
      datasources: [CARDS],
      membership: {
        access: "approval",
        approvals: [{ requiredPermission: "OWNER", specificApproverRequired: false }],
      },
    });
  });

  test("acting under the project, only its data sources are visible", () => {
    const report = simulateAccess(tenant, { project: "Fraud analysis" });
    const [cards, crime] = [CARDS, CRIME].map((n) => report.dataSources.find((d) => d.name === n)!);
    expect(cards).toMatchObject({ inProject: true, visible: true });
    expect(crime).toMatchObject({ inProject: false, visible: false });
    expect(crime.why).toBe(
      "not visible: not in project fraud analysis, which you act under (a project shows only its own data sources)",
    );
    expect(crime.columns.every((c) => c.state === "not visible")).toBe(true);
  });

  test("a project without a subscription policy is joined manually (the docs' default)", () => {
    const report = simulateAccess(tenant, { project: "simplest possible project" });
    expect(report.user.project?.membership.access).toBe("manual");
  });
});
