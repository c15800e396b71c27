/**
 * The quickstart stack: purposes, a data source, a project and two global policies, in TypeScript.
 *
 *   npm run demo                       deploys it to the embedded server, twice, and shows Immuta
 *   IMMUTA_URL=https://acme.immuta.example IMMUTA_API_KEY=... DWH_PASSWORD=... npx cdktf deploy
 *                                      deploys it to a real tenant (run in this directory)
 */
import { App, LocalBackend, TerraformStack } from "cdktf";
import { ImmutaProvider } from "cdktf-immuta";
import { governance } from "./governance";

const app = new App();
const stack = new TerraformStack(app, "quickstart");
// State beside the synthesized configuration, by a relative path: a moved checkout keeps working.
new LocalBackend(stack, { path: "terraform.tfstate" });
// No url: the tenant is IMMUTA_URL at apply time, and the key IMMUTA_API_KEY.
new ImmutaProvider(stack, "immuta");

governance(stack);

app.synth();
