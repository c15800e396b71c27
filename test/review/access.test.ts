import { accessChange } from "../../src/review/access";

describe("access changes", () => {
  it("lists groups and attributes a subscription policy gains and loses", () => {
    const before = {
      type: "subscription",
      actions: {
        type: "entitlements",
        entitlements: { groups: ["A", "B"], attributes: [{ name: "Dept", value: "HR" }] },
      },
    };
    const after = {
      type: "subscription",
      actions: {
        type: "entitlements",
        entitlements: { groups: ["B", "C"], attributes: [{ name: "Dept", value: "IT" }] },
      },
    };
    expect(accessChange("policy", before, after)).toEqual({
      gained: ["group C", "attribute Dept=IT"],
      lost: ["group A", "attribute Dept=HR"],
    });
  });

  it("counts a policy opened to anyone, and everything for a new object", () => {
    const anyone = { type: "subscription", actions: { type: "anyone" } };
    expect(accessChange("policy", undefined, anyone)).toEqual({ gained: ["anyone"], lost: [] });
  });

  it("lists a project's purposes and subscription entitlements", () => {
    const before = { purposes: ["Research"], subscriptionPolicy: { type: "manual" } };
    const after = {
      purposes: ["Research.Fraud"],
      subscriptionPolicy: { type: "entitlements", entitlements: { groups: ["Fraud"] } },
    };
    expect(accessChange("project", before, after)).toEqual({
      gained: ["purpose Research.Fraud", "group Fraud"],
      lost: ["purpose Research"],
    });
  });

  it("says nothing for data policies, purposes and data sources", () => {
    expect(accessChange("policy", { type: "data" }, { type: "data" })).toBeUndefined();
    expect(accessChange("purpose", {}, {})).toBeUndefined();
  });
});
