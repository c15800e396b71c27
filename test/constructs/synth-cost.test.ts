import childProcess from "node:child_process";
import { DataResource, TerraformStack, Testing } from "cdktf";
import { ImmutaProvider, Purpose } from "../../src";

/** Every way of starting a process, watched. */
function watchProcesses() {
  const names = [
    "execSync",
    "execFileSync",
    "spawnSync",
    "exec",
    "execFile",
    "spawn",
    "fork",
  ] as const;
  return names.map((name) => jest.spyOn(childProcess, name));
}

function started(spies: jest.SpyInstance[]): number {
  return spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
}

describe("synth cost", () => {
  afterEach(() => jest.restoreAllMocks());

  it("starts no process, however many objects (cdktf's DataResource starts one per resource)", () => {
    const spies = watchProcesses();
    const app = Testing.app();
    const stack = new TerraformStack(app, "governance");
    new ImmutaProvider(stack, "immuta");
    for (let i = 0; i < 300; i++) new Purpose(stack, `p${i}`, { name: `Purpose ${i}` });
    app.synth();
    expect(started(spies)).toBe(0);

    // The control: the same watch sees the `terraform version` check of cdktf's own binding.
    jest.restoreAllMocks();
    const control = watchProcesses();
    for (const spy of control)
      spy.mockImplementation((() => Buffer.from("Terraform v1.11.4")) as never);
    const controlApp = Testing.app();
    new DataResource(new TerraformStack(controlApp, "control"), "data", { input: { x: 1 } });
    controlApp.synth();
    expect(started(control)).toBeGreaterThan(0);
  });
});
