/** POST /api/v2/purpose: purposes and their sub-purposes. */
import { purpose, serve, type TestServer } from "./support";

describe("POST /api/v2/purpose", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await serve();
  });
  afterEach(() => server.close());

  test("creates, updates and reports no change, with a stable purposeId", async () => {
    expect((await server.post("purpose", purpose("Research"))).body).toEqual({
      dryRun: false,
      creating: true,
      updating: false,
      purposeId: 1,
    });
    await server.post("purpose", purpose("Marketing"));
    expect((await server.post("purpose", purpose("Research", { description: "d" }))).body).toEqual({
      dryRun: false,
      creating: false,
      updating: true,
      purposeId: 1,
    });
    expect(
      (await server.post("purpose", purpose("Research", { description: "d" }))).body,
    ).toMatchObject({
      creating: false,
      updating: false,
    });
  });

  test("dryRun answers what the real call would, and stores nothing", async () => {
    const dry = await server.post("purpose", purpose("Research"), "?dryRun=true");
    expect((await server.call("GET", "/api/v2/purpose")).body).toEqual([]);
    const real = await server.post("purpose", purpose("Research"));
    expect(dry.body).toEqual({ ...real.body, dryRun: true });
  });

  test("sub-purpose names must carry the parent's prefix", async () => {
    const answer = await server.post(
      "purpose",
      purpose("Research", {
        subpurposes: [
          { name: "Research.Clinical", subpurposes: [{ name: "Trials" }] },
          { name: "Other" },
        ],
      }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      'subpurposes[0].subpurposes[0].name: must carry its parent\'s name as a prefix: "Research.Clinical.<name>" (got "Trials")\n' +
        'subpurposes[1].name: must carry its parent\'s name as a prefix: "Research.<name>" (got "Other")',
    );
  });

  test("a name another purpose defines is refused", async () => {
    await server.post(
      "purpose",
      purpose("Research", { subpurposes: [{ name: "Research.Clinical" }] }),
    );
    const answer = await server.post("purpose", purpose("Research.Clinical"));
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      'name: "Research.Clinical" is already defined by purpose "Research"',
    );
  });

  test("reAcknowledgeRequired marks a changed acknowledgement", async () => {
    await server.post("purpose", purpose("Research", { acknowledgement: "v1" }));
    await server.post(
      "purpose",
      purpose("Research", { acknowledgement: "v2" }),
      "?reAcknowledgeRequired=true",
    );
    expect((await server.call("GET", "/api/v2/purpose/Research")).body).toMatchObject({
      acknowledgement: "v2",
      reAcknowledgementRequired: true,
    });
  });

  test('an acknowledgement sent as "" is the system default: stored, compared and read as omitted', async () => {
    // Immuta's Terraform provider sends "" for every string it was not given.
    const sent = purpose("Research", {
      description: "",
      acknowledgement: "",
      subpurposes: [{ name: "Research.Clinical", description: "", acknowledgement: "" }],
    });
    expect((await server.post("purpose", sent)).body.creating).toBe(true);
    const stored = (await server.call("GET", "/api/v2/purpose/Research")).body;
    expect(stored).not.toHaveProperty("acknowledgement");
    expect(stored.subpurposes).toEqual([{ name: "Research.Clinical", description: "" }]);
    // A description has no default: its "" is kept.
    expect(stored.description).toBe("");
    const omitted = purpose("Research", {
      description: "",
      subpurposes: [{ name: "Research.Clinical", description: "" }],
    });
    expect((await server.post("purpose", omitted)).body).toMatchObject({
      creating: false,
      updating: false,
    });
  });
});
