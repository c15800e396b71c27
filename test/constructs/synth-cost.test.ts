import childProcess from "node:child_process";
import { DataResource, TerraformStack, Testing } from "cdktf";
import { DataSource, ImmutaProvider, Project, Purpose } from "../../src";
import type { CarrierName } from "../../providers";
import { SNOWFLAKE } from "../payload/fixtures";
import { tempOutdir } from "../helpers/synth";

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

  it.each<CarrierName>(["terraform_data", "null_resource"])(
    "starts no process, however many objects (%s; cdktf's DataResource starts one per resource)",
    (carrier) => {
      const spies = watchProcesses();
      const app = Testing.app({ outdir: tempOutdir() });
      const stack = new TerraformStack(app, "governance");
      new ImmutaProvider(stack, "immuta", { carrier });
      for (let i = 0; i < 300; i++) new Purpose(stack, `p${i}`, { name: `Purpose ${i}` });
      // A payload file and a project: every part of the layout is synthesized.
      new DataSource(stack, "big", {
        connectionKey: "big",
        connection: SNOWFLAKE,
        sources: Array.from({ length: 4000 }, (_, i) => ({ table: `t${i}`, schema: "s" })),
      });
      new Project(stack, "fraud", { projectKey: "fraud", name: "Fraud", purposes: ["Purpose 1"] });
      app.synth();
      expect(started(spies)).toBe(0);

      // The control: the same watch sees the `terraform version` check of cdktf's own binding.
      jest.restoreAllMocks();
      const control = watchProcesses();
      for (const spy of control)
        spy.mockImplementation((() => Buffer.from("Terraform v1.11.4")) as never);
      const controlApp = Testing.app({ outdir: tempOutdir() });
      new DataResource(new TerraformStack(controlApp, "control"), "data", { input: { x: 1 } });
      controlApp.synth();
      expect(started(control)).toBeGreaterThan(0);
    },
  );
});
