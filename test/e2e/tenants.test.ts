/** Several tenants in one stack: each keeps its own objects, and an object can move between them. */
import { ImmutaProvider, Purpose } from "../../src";
import { startServer, type RunningServer } from "../../src/server";
import { API_KEY, GovernanceStack, calls } from "./harness";

jest.setTimeout(180_000);

async function keys(server: RunningServer, kind: string): Promise<string[]> {
  const response = await fetch(`${server.url}/api/v2/${kind}`, {
    headers: { authorization: API_KEY },
  });
  return (await response.json()) as string[];
}

describe("tenants", () => {
  let stack: GovernanceStack;
  let other: RunningServer;
  beforeEach(async () => {
    other = await startServer({ apiKeys: [{ key: API_KEY }] });
    stack = await GovernanceStack.start();
  });
  afterEach(async () => {
    await stack.close();
    await other.close();
  });

  it("creates an object moved to another provider there, and deletes it from the first", async () => {
    const build = (tenantOfResearch: "first" | "second") =>
      stack.synth((s, first) => {
        const second = new ImmutaProvider(s, "second", { url: other.url });
        new Purpose(s, "research", {
          name: "Research",
          provider: tenantOfResearch === "first" ? first : second,
        });
        new Purpose(s, "keep", { name: "Keep", provider: second });
      });
    build("first");
    await stack.apply();
    expect(await keys(stack.server, "purpose")).toEqual(["Research"]);
    expect(await keys(other, "purpose")).toEqual(["Keep"]);

    build("second");
    await stack.apply();
    expect(await keys(stack.server, "purpose")).toEqual([]);
    expect(await keys(other, "purpose")).toEqual(["Keep", "Research"]);
    // The second tenant's guard asks whether it holds Research before it is created there.
    expect(calls(stack.newRequests().filter((r) => r.method !== "GET"))).toEqual([
      "DELETE purpose Research",
      "DELETE? purpose Research",
      "POST purpose Research",
    ]);
  });

  it("re-applies every object when its provider is pointed at another url (the old tenant keeps its copy)", async () => {
    const build = (url: string) =>
      stack.synth((s) => {
        const tenant = new ImmutaProvider(s, "tenant", { url });
        new Purpose(s, "research", { name: "Research", provider: tenant });
      });
    build(stack.server.url);
    await stack.apply();
    build(other.url);
    await stack.apply();
    expect(await keys(other, "purpose")).toEqual(["Research"]);
    expect(await keys(stack.server, "purpose")).toEqual(["Research"]);
  });
});
