/**
 * The quickstart's governance as payload files kept in Git (YAML with comments, and JSON), loaded
 * by PayloadDirectory: one construct per payload, Terraform's plan and state around them.
 *
 *   IMMUTA_URL=... IMMUTA_API_KEY=... DWH_PASSWORD=... npx cdktf deploy   (in this directory)
 */
import { join } from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { ImmutaProvider, PayloadDirectory } from "cdktf-immuta";

const app = new App();
const stack = new TerraformStack(app, "from-files");
new LocalBackend(stack, { path: "terraform.tfstate" });
new ImmutaProvider(stack, "immuta");
new PayloadDirectory(stack, "governance", { path: join(__dirname, "governance") });

app.synth();
