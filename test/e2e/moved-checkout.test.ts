/**
 * C11: synthesize in one checkout, move it (or apply on another machine with the same layout),
 * and the synthesized commands still work: they name no absolute path of the synthesizing machine.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer } from "../../src/server";
import { call } from "./harness";
import { REPO, run, terraform, terraformEnv } from "./terraform";

jest.setTimeout(120_000);

const APP = `
const { App, LocalBackend, TerraformStack } = require("cdktf");
const { ImmutaProvider, Purpose } = require("./lib/src");
const app = new App({ outdir: "cdktf.out" });
const stack = new TerraformStack(app, "governance");
new LocalBackend(stack, { path: "terraform.tfstate" });
new ImmutaProvider(stack, "immuta");
new Purpose(stack, "research", { name: "Research" });
app.synth();
`;

describe("C11: a moved checkout", () => {
  let server: RunningServer;
  let root: string;
  beforeAll(async () => {
    server = await startServer({ apiKeys: [{ key: "k" }] });
    root = mkdtempSync(join(tmpdir(), "immuta-checkout-"));
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("deploys and destroys from the new path with what was synthesized at the old one", async () => {
    const before = join(root, "checkout");
    for (const part of ["bin", "lib", "package.json"])
      cpSync(join(REPO, part), join(before, part), { recursive: true });
    symlinkSync(join(REPO, "node_modules"), join(before, "node_modules"));
    writeFileSync(join(before, "app.js"), APP);
    const synth = await run("node", ["app.js"], { cwd: before, env: { ...process.env } });
    expect(synth.code).toBe(0);

    const after = join(root, "elsewhere", "moved");
    mkdirSync(join(root, "elsewhere"));
    renameSync(before, after);

    const dir = join(after, "cdktf.out", "stacks", "governance");
    const env = terraformEnv({ IMMUTA_URL: server.url, IMMUTA_API_KEY: "k" });
    expect((await terraform(["init", "-input=false", "-no-color"], dir, env)).code).toBe(0);
    const applied = await terraform(
      ["apply", "-auto-approve", "-input=false", "-no-color"],
      dir,
      env,
    );
    expect(applied.output).toContain("Apply complete!");
    const destroyed = await terraform(
      ["destroy", "-auto-approve", "-input=false", "-no-color"],
      dir,
      env,
    );
    expect(destroyed.output).toContain("Destroy complete!");
    // The guard's dry-run question first, then the one write and the one delete.
    expect(server.requests().map(call)).toEqual([
      "DELETE? purpose Research",
      "POST purpose Research",
      "DELETE purpose Research",
    ]);
  });
});
