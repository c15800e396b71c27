/**
 * The kill matrix's stack: 20 objects (5 of each kind) in one of three versions, `v1` (as first
 * deployed), `v2` (every purpose and policy changed: the update path) and `v3` (two of each kind
 * removed: the delete path). Usage: synth-kill.ts OUTDIR v1|v2|v3
 */
import type * as Immuta from "../../src";
import { dataSourcePayload, policyPayload, projectPayload, purposePayload } from "../lib/payloads";
import { LIB_INDEX } from "../lib/repo";

const [outdir, version] = process.argv.slice(2);
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled package
const cdktf = require("cdktf") as typeof import("cdktf");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require(LIB_INDEX) as typeof Immuta;

const app = new cdktf.App({ outdir });
const stack = new cdktf.TerraformStack(app, "governance");
new cdktf.LocalBackend(stack, { path: "terraform.tfstate" });
new lib.ImmutaProvider(stack, "immuta");
const count = version === "v3" ? 3 : 5;
const changed = (text: unknown) => (version === "v2" ? `${String(text)} (revised)` : String(text));
for (let i = 0; i < count; i++) {
  const p = purposePayload(i);
  const purpose = new lib.Purpose(stack, `purpose-${i}`, {
    ...p,
    description: changed(p.description ?? ""),
  });
  const warehouse = new lib.DataSource(stack, `warehouse-${i}`, dataSourcePayload(i));
  const policy = policyPayload(i);
  new lib.GlobalPolicy(stack, `policy-${i}`, { ...policy, name: changed(policy.name) });
  new lib.Project(stack, `project-${i}`, {
    ...projectPayload(i),
    purposes: [purpose.subpurpose("Fraud")],
    datasources: [
      warehouse.dataSourceName("public", "orders"),
      warehouse.dataSourceName("public", "payments"),
    ],
  });
}
app.synth();
