/**
 * `plan --personas` over a whole stack: every tenant, what cannot be simulated said as notes (the
 * objects' review still stands), and never an empty "before" standing in for a state not read.
 */
import type { State } from "../../src/layout/state";
import { personaReview } from "../../src/review/plan-personas";
import type { ConfiguredObject, StackConfiguration } from "../../src/review/stack-config";
import { catalogOf, connection, subscription, table } from "../access/support";

const NO_STATE_YET: State = { instances: [], outputs: {} };
const catalog = catalogOf({ public: { orders: ["id", "amount"] } });

function object(
  tenant: string,
  kind: ConfiguredObject["kind"],
  key: string,
  payload: unknown,
  unknown: string[] = [],
): ConfiguredObject {
  return {
    tenant,
    kind,
    key,
    type: "terraform_data",
    block: `${tenant}_${kind}`,
    desired: { payload, unknown },
    connection: {},
  };
}

function stack(objects: ConfiguredObject[]): StackConfiguration {
  const prefixes = [...new Set(objects.map((o) => o.tenant))];
  return {
    objects,
    tenants: new Map(
      prefixes.map((prefix) => [
        prefix,
        { prefix, connection: {}, adopt: new Set(), adoptAll: false },
      ]),
    ),
  };
}

const orders = connection([table("orders")]);
const anyone = subscription("anyone", { type: "anyone", automaticSubscription: true });

test("a state that could not be read simulates nothing, rather than everything as new", () => {
  const review = personaReview(
    stack([object("immuta", "data", "dwh", orders)]),
    undefined,
    undefined,
    {
      personas: [{ name: "analyst" }],
      catalog,
    },
  );
  expect(review).toEqual({
    changes: [],
    notes: ["access by persona not simulated: what was last deployed is unknown (no state)"],
  });
});

test("several tenants: changes and notes name theirs; a project only one tenant has is no warning", () => {
  const review = personaReview(
    stack([
      object("prod", "data", "dwh", orders),
      object("prod", "policy", "anyone", anyone),
      object("prod", "project", "fraud", {
        projectKey: "fraud",
        name: "Fraud",
        datasources: ["public.orders"],
      }),
      object("dev", "data", "dwh", orders),
      object("dev", "policy", "anyone", anyone, ["actions.type"]),
    ]),
    undefined,
    NO_STATE_YET,
    {
      personas: [{ name: "investigator", project: "fraud" }],
      catalog,
    },
  );
  expect(review.changes).toEqual([
    { persona: "investigator", tenant: "prod", dataSource: "", change: "project fraud: new" },
    {
      persona: "investigator",
      tenant: "prod",
      dataSource: "public.orders",
      change:
        "public.orders: in the new project fraud, subscribed automatically; clear: id, amount",
    },
  ]);
  expect(review.notes).toEqual([
    '[dev] access simulated without global policy "anyone" (actions.type): new, with values known only after apply',
  ]);
});

test("a persona under a project no tenant has, before or after, is a mistake: did you mean", () => {
  const config = stack([
    object("prod", "project", "fraud-analysis", { projectKey: "fraud-analysis", name: "Fraud" }),
    object("dev", "purpose", "Research", { name: "Research" }),
  ]);
  expect(() =>
    personaReview(config, undefined, NO_STATE_YET, {
      personas: [{ name: "investigator", project: "fraud-analysys" }],
    }),
  ).toThrow(
    'persona "investigator": no project "fraud-analysys" in the stack, before or after the ' +
      'change (did you mean "fraud-analysis"?); projects: fraud-analysis',
  );
});

test("governance that cannot be simulated is a note naming the tenant and the side", () => {
  const review = personaReview(
    stack([object("immuta", "data", "dwh", connection(undefined))]),
    undefined,
    NO_STATE_YET,
    { personas: [{ name: "analyst" }] },
  );
  expect(review.changes).toEqual([]);
  expect(review.notes[0]).toMatch(
    /^access by persona not simulated: the governance as the change leaves it cannot be simulated: /,
  );
});
