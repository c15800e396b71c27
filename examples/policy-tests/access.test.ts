/**
 * Access tests for the quickstart's governance (../quickstart/governance.ts): five personas, and what each may subscribe to
 * and see. They run with no server and no deploy, in milliseconds, so they belong in every pull
 * request's checks. Copy this file and jest.config.js into your project, replace the governance
 * and the personas with yours, and run `npx jest`.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { ImmutaProvider } from "cdktf-immuta";
import { compileStack } from "cdktf-immuta/testing";
import { governance } from "../quickstart/governance";

// The stack as the app builds it, compiled once for every persona. The catalog lists each table's
// columns (tables the stack lists by name have only their tagged columns without it).
const app = Testing.app();
afterAll(() => rmSync(app.outdir, { recursive: true, force: true })); // Testing.app() makes it
const stack = new TerraformStack(app, "policy-tests");
new ImmutaProvider(stack, "immuta");
governance(stack);
const tenant = compileStack(stack, { catalog: join(__dirname, "catalog.yaml") });

const analyst = tenant.simulate({ name: "analyst", groups: ["Analysts"] });
const dataScientist = tenant.simulate({ name: "data scientist", groups: ["Data Science"] });
const privacyOfficer = tenant.simulate({
  name: "privacy officer",
  groups: ["Analysts", "Privacy Officers"],
});
const fraudInvestigator = tenant.simulate({
  name: "fraud investigator",
  groups: ["Analysts"],
  project: "fraud-analysis",
});
const contractor = tenant.simulate({ name: "contractor", groups: ["Contractors"] });

const WAREHOUSE = ["public.customers", "public.orders", "public.payments"];

describe("an analyst", () => {
  test.each(WAREHOUSE)("is subscribed to %s automatically, by analysts-subscribe", (table) => {
    expect(analyst).toSubscribe(table, { via: "analysts-subscribe", level: "automatic" });
  });

  test("sees e-mail addresses and card numbers hashed, the rest in clear", () => {
    expect(analyst).toSee("public.customers", { column: "email", as: "masked", masking: "Hash" });
    expect(analyst).toSee("public.customers", { column: "country", as: "clear" });
    expect(analyst).toSee("public.payments", { column: "card_number", masking: "Hash" });
    expect(analyst).toSee("public.payments", { column: "amount", as: "clear" });
  });

  test("reads every row of the orders", () => {
    expect(analyst).not.toFilterRows("public.orders");
  });
});

describe("a data scientist", () => {
  test("gets the warehouse through the same policy, and PII hashed", () => {
    expect(dataScientist).toSubscribe("public.orders", { via: "analysts-subscribe" });
    expect(dataScientist).toSee("public.customers", { column: "email", masking: "Hash" });
  });
});

describe("a privacy officer", () => {
  test("sees PII in clear: mask-pii's exceptions excuse them", () => {
    expect(privacyOfficer).toSee("public.customers", { column: "email", as: "clear" });
    expect(privacyOfficer).toSee("public.payments", { column: "card_number", as: "clear" });
  });
});

describe("a fraud investigator, acting under the fraud-analysis project", () => {
  test("sees the project's data sources only", () => {
    expect(fraudInvestigator).toSee("public.orders");
    expect(fraudInvestigator).toSee("public.payments");
    expect(fraudInvestigator).not.toSee("public.customers");
  });

  test("acts under the project's purpose, and still sees card numbers hashed", () => {
    expect(fraudInvestigator.user.purposes).toEqual(["Research.Fraud"]);
    expect(fraudInvestigator).toSee("public.payments", { column: "card_number", masking: "Hash" });
  });
});

describe("a contractor", () => {
  test.each(WAREHOUSE)("can neither subscribe to nor see %s", (table) => {
    expect(contractor).not.toSubscribe(table);
    expect(contractor).not.toSee(table);
    expect(contractor).toSee(table, { column: "id", as: "hidden" });
  });
});

/*
 * What a failing test prints. Had a test expected analysts to read e-mail addresses in clear,
 *
 *   expect(analyst).toSee("public.customers", { column: "email", as: "clear" });
 *
 * jest would fail it with:
 *
 *   expect(access).toSee(dataSource, expected)
 *
 *   Expected analyst to see public.customers.email clear.
 *   email is masked (Hash): masked (Hash) by mask-pii actions[0].rules[0]: columnTag PII matches its tag PII
 *
 * The test below keeps the suite green by asserting that message.
 */
test("a failing expectation says which rule decided", () => {
  expect(() => expect(analyst).toSee("public.customers", { column: "email", as: "clear" })).toThrow(
    "Expected analyst to see public.customers.email clear.\n" +
      "email is masked (Hash): masked (Hash) by mask-pii actions[0].rules[0]: " +
      "columnTag PII matches its tag PII",
  );
});
