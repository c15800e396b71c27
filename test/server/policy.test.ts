/** POST /api/v2/policy: global policies, and the data sources their circumstances match. */
import { acme, policy, serve, table, type TestServer } from "./support";

describe("POST /api/v2/policy", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await serve();
  });
  afterEach(() => server.close());

  test("creates, then updates, then reports no change, with a stable policyId", async () => {
    const created = await server.post("policy", policy("mask-pii"));
    expect(created.body).toEqual({
      dryRun: false,
      creating: true,
      updating: false,
      policyId: 1,
      appliedTo: [],
    });
    await server.post("policy", policy("other"));
    const updated = await server.post("policy", policy("mask-pii", { staged: true }));
    expect(updated.body).toMatchObject({ creating: false, updating: true, policyId: 1 });
    const same = await server.post("policy", policy("mask-pii", { staged: true }));
    expect(same.body).toMatchObject({ creating: false, updating: false, policyId: 1 });
  });

  test("dryRun answers what the real call would, and stores nothing", async () => {
    await server.post("policy", policy("first"));
    const dry = await server.post("policy", policy("second"), "?dryRun=true");
    expect((await server.call("GET", "/api/v2/policy")).body).toEqual(["first"]);
    const real = await server.post("policy", policy("second"));
    expect(dry.body).toEqual({ ...real.body, dryRun: true });
    expect(real.body.policyId).toBe(2);
  });

  test("subscription policies accept requiredPermissions as an alias, stored as requiredPermission", async () => {
    const answer = await server.post("policy", {
      policyKey: "approve",
      name: "Approve",
      type: "subscription",
      actions: {
        type: "approval",
        approvals: [{ requiredPermissions: "OWNER", specificApproverRequired: false }],
      },
    });
    expect(answer.status).toBe(200);
    const stored = await server.call("GET", "/api/v2/policy/approve");
    expect(stored.body.actions.approvals).toEqual([
      { requiredPermission: "OWNER", specificApproverRequired: false },
    ]);
  });

  describe("appliedTo", () => {
    beforeEach(async () => {
      await server.post(
        "data",
        acme({
          sources: [
            table("customers", "public", {
              tags: { table: ["PII"], columns: [{ columnName: "email", tags: ["PII.Email"] }] },
            }),
            table("orders", "public", { tags: { table: ["Finance.Orders"] } }),
            table("payments"),
          ],
        }),
      );
    });
    const applied = async (extra: Record<string, unknown>) =>
      (await server.post("policy", policy("p", extra))).body.appliedTo;

    test("no circumstances: every data source", async () => {
      expect(await applied({})).toEqual(["public.customers", "public.orders", "public.payments"]);
    });

    test("a tag matches sources tagged with it or a descendant", async () => {
      expect(await applied({ circumstances: [{ type: "tags", tag: "Finance" }] })).toEqual([
        "public.orders",
      ]);
    });

    test("column tags, column names by regex, and untagged sources", async () => {
      expect(await applied({ circumstances: [{ type: "columnTags", columnTag: "PII" }] })).toEqual([
        "public.customers",
      ]);
      expect(
        await applied({
          circumstances: [{ type: "columnRegex", regex: "^CARD", caseInsensitive: true }],
        }),
      ).toEqual(["public.payments"]);
      expect(await applied({ circumstances: [{ type: "noTags" }] })).toEqual(["public.payments"]);
    });

    test("circumstanceOperator any (the default) and all", async () => {
      const circumstances = [
        { type: "tags", tag: "PII" },
        { type: "columnRegex", regex: "amount" },
      ];
      expect(await applied({ circumstances })).toEqual([
        "public.customers",
        "public.orders",
        "public.payments",
      ]);
      expect(await applied({ circumstances, circumstanceOperator: "all" })).toEqual([]);
      expect(
        await applied({
          circumstances: [
            { type: "tags", tag: "Finance" },
            { type: "columnRegex", regex: "amount" },
          ],
          circumstanceOperator: "all",
        }),
      ).toEqual(["public.orders"]);
    });

    test("disabled data sources are not matched", async () => {
      await server.post("data", acme({ sources: [table("payments")] }));
      expect(await applied({})).toEqual(["public.payments"]);
    });

    test("an invalid regex is a 400 naming the circumstance", async () => {
      const answer = await server.post(
        "policy",
        policy("p", { circumstances: [{ type: "columnRegex", regex: "(" }] }),
      );
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(
        /^circumstances\[0\]\.regex: not a valid regular expression/,
      );
    });
  });

  test("reCertify marks a changed certification for re-certification", async () => {
    await server.post("policy", policy("p", { certification: { text: "v1", label: "ok" } }));
    await server.post(
      "policy",
      policy("p", { certification: { text: "v2", label: "ok" } }),
      "?reCertify=true",
    );
    expect((await server.call("GET", "/api/v2/policy/p")).body.recertificationRequired).toBe(true);
  });

  test("reCertify must be true or false", async () => {
    const answer = await server.post("policy", policy("p"), "?reCertify=yes");
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe('query parameter reCertify must be true or false (got "yes")');
  });

  test("wrong types are 400s naming the field path", async () => {
    const answer = await server.post("policy", {
      ...policy("p"),
      staged: "no",
      circumstances: [{ type: "tags" }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message.split("\n")).toEqual(
      expect.arrayContaining([
        'staged: must be true or false (got "no")',
        "circumstances[0].tag: required",
      ]),
    );
  });
});
