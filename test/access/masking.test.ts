/**
 * Masking per column: tag hierarchy, exceptions and inclusions ("for everyone who ..., otherwise
 * ..."), conflicts between policies (the deeper tag wins, documented; then the first policyKey,
 * ours), staged policies, conditional masking, and the explanations a reader needs.
 */
import type { DataRule, PolicyPayload } from "../../src/payload/types";
import {
  ANYONE,
  accessTo,
  catalogOf,
  column,
  connection,
  dataPolicy,
  mask,
  simulateAccess,
  table,
} from "./support";

const catalog = catalogOf({
  sales: { customers: ["id", "email", "ssn", "phone", "notes"] },
});
const customers = table(
  "customers",
  { columns: { email: ["PII.Email"], ssn: ["PII.SSN"], phone: ["Contact"], notes: ["PIIX"] } },
  "sales",
);
const tenantWith = (...policies: PolicyPayload[]) => ({
  dataSources: [connection([customers])],
  policies: [ANYONE, ...policies],
  catalog,
});
const columnFor = (policies: PolicyPayload[], name: string, user = {}) =>
  column(accessTo(tenantWith(...policies), user, "sales.customers"), name);

describe("which columns a masking rule targets", () => {
  const maskPii = dataPolicy("mask-pii", [mask("PII")]);

  test("a columnTags field targets its tag and tags under it, not a tag that merely starts alike", () => {
    const access = accessTo(tenantWith(maskPii), {}, "sales.customers");
    expect(access.columns.map((c) => [c.column, c.state])).toEqual([
      ["id", "clear"],
      ["email", "masked"],
      ["ssn", "masked"],
      ["phone", "clear"],
      ["notes", "clear"],
    ]);
    expect(column(access, "notes").why).toBe(
      "no masking rule in force targets notes, which has [PIIX]; masking rules in force here: mask-pii actions[0].rules[0] (columnTag PII)",
    );
  });

  test("a noTags field targets the columns without tags", () => {
    const untagged = dataPolicy("mask-untagged", [
      {
        type: "Masking",
        config: { fields: [{ type: "noTags" }], maskingConfig: { type: "Null" } },
      } as DataRule,
    ]);
    const access = accessTo(tenantWith(untagged), {}, "sales.customers");
    expect(access.columns.filter((c) => c.state === "masked").map((c) => c.column)).toEqual(["id"]);
    expect(column(access, "id").masking).toMatchObject({
      type: "Null",
      matchedBy: "noTags: it has no tags",
    });
  });

  test("an unknown field type targets nothing and is reported once, with where it is", () => {
    const odd = dataPolicy("odd", [
      {
        type: "Masking",
        config: {
          fields: [{ type: "columnNames", names: ["ssn"] }],
          maskingConfig: { type: "Hash" },
        },
      } as unknown as DataRule,
    ]);
    const report = simulateAccess(tenantWith(odd), {});
    expect(report.dataSources[0].columns.every((c) => c.state === "clear")).toBe(true);
    expect(report.warnings).toEqual([
      {
        path: 'policies["odd"].actions[0].rules[0].config.fields[0].type',
        message: expect.stringContaining('field type "columnNames" is not one the simulator knows'),
      },
    ]);
  });

  test("conditional masking masks only the rows its predicate holds for, and says where", () => {
    const conditional = dataPolicy("mask-us", [
      {
        type: "Masking",
        config: {
          fields: [{ type: "columnTags", columnTag: "PII" }],
          maskingConfig: { type: "Hash" },
          conditionalPredicate: "@columnTagged('Discovered.Country') = 'USA'",
        },
      } as DataRule,
    ]);
    const email = columnFor([conditional], "email");
    expect(email.masking?.where).toBe("@columnTagged('Discovered.Country') = 'USA'");
    expect(email.why).toBe(
      "masked (Hash where @columnTagged('Discovered.Country') = 'USA') by mask-us actions[0].rules[0]: columnTag PII matches its tag PII.Email",
    );
  });
});

describe("who a rule targets: exceptions and inclusions", () => {
  test("exceptions with operator all excuse only a user who meets every condition", () => {
    const policy = dataPolicy("mask-pii", [
      mask(
        "PII",
        { type: "Hash" },
        {
          exceptions: {
            operator: "all",
            groups: ["admins"],
            attributes: [{ name: "clearance", value: "high" }],
          },
        },
      ),
    ]);
    expect(columnFor([policy], "email", { groups: ["admins"] }).state).toBe("masked");
    const both = columnFor([policy], "email", {
      groups: ["admins"],
      attributes: { clearance: "high" },
    });
    expect(both.state).toBe("clear");
    expect(both.excused?.why).toBe(
      "its exceptions excuse you: member of group admins and has attribute clearance=high",
    );
  });

  test("an exception on a purpose excuses a user acting under it or under a sub-purpose of it", () => {
    const policy = dataPolicy("mask-pii", [
      mask("PII", { type: "Hash" }, { exceptions: { purposes: ["Fraud"] } }),
    ]);
    expect(columnFor([policy], "email", { purposes: ["Fraud.Cards"] }).excused?.why).toBe(
      "its exceptions excuse you: acts under purpose Fraud (as Fraud.Cards)",
    );
    expect(columnFor([policy], "email", { purposes: ["Marketing"] }).state).toBe("masked");
  });

  test("inclusions, then an otherwise rule: the first rule that targets the user decides", () => {
    const policy = dataPolicy("contractors", [
      mask("PII", { type: "Hash" }, { inclusions: { groups: ["contractors", "vendors"] } }),
      mask("PII", { type: "Constant", constant: "***" }),
    ]);
    expect(columnFor([policy], "email", { groups: ["vendors"] }).masking).toMatchObject({
      type: "Hash",
      rule: { rule: "actions[0].rules[0]" },
    });
    expect(columnFor([policy], "email", { groups: ["staff"] }).masking).toMatchObject({
      type: "Constant",
      config: { constant: "***" },
      rule: { rule: "actions[0].rules[1]" },
    });
  });

  test("an excepted user of an included rule does not fall through to the otherwise rule", () => {
    const policy = dataPolicy("contractors", [
      mask(
        "PII",
        { type: "Hash" },
        { inclusions: { groups: ["contractors"] }, exceptions: { groups: ["cleared"] } },
      ),
      mask("PII", { type: "Null" }),
    ]);
    const email = columnFor([policy], "email", { groups: ["contractors", "cleared"] });
    expect(email.state).toBe("clear");
    expect(email.excused?.rule.rule).toBe("actions[0].rules[0]");
  });
});

describe("two masking policies on one column", () => {
  const broad = dataPolicy("a-broad", [mask("PII", { type: "Null" })]);
  const narrow = dataPolicy("z-narrow", [mask("PII.SSN", { type: "Hash" })]);

  test("the rule whose field names the deeper tag wins (documented), and the other is named as overridden", () => {
    const ssn = columnFor([broad, narrow], "ssn");
    expect(ssn.masking).toMatchObject({ type: "Hash", rule: { policyKey: "z-narrow" } });
    expect(ssn.overridden).toEqual([
      {
        rule: expect.objectContaining({ policyKey: "a-broad", rule: "actions[0].rules[0]" }),
        why: "columnTag PII matches its tag PII.SSN, but z-narrow actions[0].rules[0] targets it through a deeper tag (columnTag PII.SSN matches its tag PII.SSN): the deeper tag wins (Immuta's data policy conflicts)",
      },
    ]);
    // Where only the broad one targets a column, it masks it.
    expect(columnFor([broad, narrow], "email").masking?.rule.policyKey).toBe("a-broad");
  });

  test("at equal depth the first policyKey wins (ours), whatever the payload order", () => {
    const first = dataPolicy("a-hash", [mask("PII", { type: "Hash" })]);
    const second = dataPolicy("b-null", [mask("PII", { type: "Null" })]);
    for (const order of [
      [first, second],
      [second, first],
    ]) {
      const email = columnFor(order, "email");
      expect(email.masking?.rule.policyKey).toBe("a-hash");
      expect(email.overridden[0].why).toContain(
        "the first policyKey wins (ours, see src/access/choices.ts)",
      );
    }
  });

  test("the conflict is settled whoever the user is: excused from the winner, the user sees the column clear", () => {
    const narrowExcused = dataPolicy("z-narrow", [
      mask("PII.SSN", { type: "Hash" }, { exceptions: { groups: ["auditors"] } }),
    ]);
    const ssn = columnFor([broad, narrowExcused], "ssn", { groups: ["auditors"] });
    expect(ssn.state).toBe("clear");
    expect(ssn.excused?.rule.policyKey).toBe("z-narrow");
    expect(ssn.overridden.map((o) => o.rule.policyKey)).toEqual(["a-broad"]);
  });

  test("a staged policy takes no part: the active one masks, the staged one is named", () => {
    const ssn = columnFor([broad, { ...narrow, staged: true }], "ssn");
    expect(ssn.masking?.rule.policyKey).toBe("a-broad");
    expect(ssn.overridden).toEqual([]);
    expect(ssn.staged.map((r) => r.policyKey)).toEqual(["z-narrow"]);
  });
});

describe("explanations", () => {
  test("full detail: the policies that do not apply and why, and the rules that miss a column", () => {
    const maskPii = dataPolicy("mask-pii", [mask("PII")], {
      circumstances: [{ type: "columnTags", columnTag: "PII" }],
    });
    const contacts = {
      dataSources: [connection([table("contacts", { columns: { email: ["Contact"] } })])],
      policies: [ANYONE, maskPii, dataPolicy("mask-contact", [mask("Contact.Phone")])],
      catalog: catalogOf({ public: { contacts: ["id", "email"] } }),
    };
    const access = accessTo(contacts, {}, "public.contacts", { detail: "full" });
    // What a matcher needs for "email is clear: no masking rule's circumstance matched;
    // mask-pii matches columnTag PII, email has tags [Contact]".
    expect(access.notApplied).toEqual([
      {
        policyKey: "mask-pii",
        name: "mask-pii",
        type: "data",
        why: "columnTags PII: no column is tagged PII or under it (email [Contact])",
      },
    ]);
    const email = column(access, "email");
    expect(email).toMatchObject({ state: "clear", tags: ["Contact"] });
    expect(email.notTargeting).toEqual([
      {
        rule: expect.objectContaining({ policyKey: "mask-contact" }),
        why: "its fields (columnTag Contact.Phone) do not target email, which has [Contact]",
      },
    ]);
  });

  test("a column of a data source the user cannot see says why, and what would mask it once visible", () => {
    const tenant = {
      dataSources: [connection([customers])],
      policies: [dataPolicy("mask-pii", [mask("PII")])],
      catalog,
    };
    const email = column(accessTo(tenant, {}, "sales.customers"), "email");
    expect(email.state).toBe("not visible");
    expect(email.masking?.type).toBe("Hash");
    expect(email.why).toBe(
      "not visible: no subscription policy applies: Immuta grants no access to it (the data platform's own grants decide); once visible: masked (Hash) by mask-pii actions[0].rules[0]: columnTag PII matches its tag PII.Email",
    );
  });
});
