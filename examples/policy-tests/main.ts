/**
 * The app: the quickstart's governance (../quickstart/governance.ts) in one stack. `npx cdktf synth` here, then
 *
 *   npx immuta-v2 access --stack-dir cdktf.out/stacks/policy-tests --catalog catalog.yaml \
 *     --groups Analysts
 *
 * prints what an analyst would see, as access.test.ts checks it.
 */
import { App, LocalBackend, TerraformStack } from "cdktf";
import { ImmutaProvider } from "cdktf-immuta";
import { governance } from "../quickstart/governance";

const app = new App();
const stack = new TerraformStack(app, "policy-tests");
new LocalBackend(stack, { path: "terraform.tfstate" });
new ImmutaProvider(stack, "immuta");
governance(stack);
app.synth();
