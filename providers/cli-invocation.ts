/**
 * How a provisioner starts the `immuta-v2` CLI. Not through `npx` (hundreds of milliseconds per
 * call) and not through an absolute path of the synthesizing machine (a moved checkout, or synth
 * on one machine and apply on another, must keep working): `node` with the path of this package's
 * bin relative to the stack directory, where Terraform runs the provisioners.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative, resolve, sep } from "node:path";
import { App, TerraformStack } from "./cdk";
import type { Construct } from "constructs";

let packageRoot: string | undefined;

/** This package's root: from lib/providers when built, from providers/ under tsx or ts-jest. */
export function findPackageRoot(): string {
  if (packageRoot) return packageRoot;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      JSON.parse(readFileSync(manifest, "utf8")).name === "cdktf-immuta"
    ) {
      return (packageRoot = dir);
    }
  }
  throw new Error(`cdktf-immuta: cannot find the package root above ${__dirname}`);
}

/** The stack's working directory, where cdktf writes cdk.tf.json and Terraform runs. */
export function stackDirectory(scope: Construct): string {
  const stack = TerraformStack.of(scope);
  return resolve(App.of(stack).outdir, "stacks", stack.node.id);
}

/**
 * `["node", "<relative path>/bin/immuta-v2.js"]`, with forward slashes whatever the synthesizing
 * platform. The app's output directory is known from its creation, so the path is too.
 */
export function defaultCliCommand(scope: Construct): string[] {
  const path = relative(stackDirectory(scope), join(findPackageRoot(), "bin", "immuta-v2.js"));
  return ["node", path.split(sep).join(posix.sep)];
}
