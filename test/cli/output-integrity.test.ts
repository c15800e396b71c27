/**
 * What apply prints and sends, beyond the happy path: output stays readable when a secret is a
 * short word, and an editor's `$schema` hint in a payload file is not sent to Immuta.
 */
import { run } from "../../src/cli/run";
import { captureIo } from "../helpers/capture-io";
import { API_KEY, testServer } from "../client/fixtures";
import { workdir } from "./harness";

describe("apply's output and request", () => {
  it("keeps its output intact when the API key is a short word that names also contain", async () => {
    const server = await testServer({ apiKeys: [{ key: "dev" }] });
    const cwd = workdir({ "p.json": { name: "dev-research" } });
    const out = captureIo({ cwd, env: { IMMUTA_URL: server.url, IMMUTA_API_KEY: "dev" } });
    expect(await run(["apply", "--kind", "purpose", "--file", "p.json"], out.io)).toBe(0);
    expect(out.stdout()).toBe('purpose "dev-research": created\n');
  });

  it("does not send the `$schema` an editor's file carries", async () => {
    const server = await testServer();
    const cwd = workdir({ "p.json": { $schema: "../schemas/purpose.json", name: "Research" } });
    const out = captureIo({ cwd, env: { IMMUTA_URL: server.url, IMMUTA_API_KEY: API_KEY } });
    expect(await run(["apply", "--kind", "purpose", "--file", "p.json", "--verbose"], out.io)).toBe(
      0,
    );
    expect(out.stderr()).toContain('"name":"Research"');
    expect(out.stderr()).not.toContain("$schema");
  });
});
