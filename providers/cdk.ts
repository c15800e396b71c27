/**
 * The CDK package the constructs build on, chosen once, when this module loads: cdktf, or its
 * community fork CDK Terrain (`cdktn`, cdktf having been archived in December 2025). Every
 * runtime value the provider layer and the constructs take from the CDK comes from here, so the
 * library requires neither package in particular; types still come from "cdktf" (cdktn kept its
 * API, so either app type-checks against them).
 *
 * The two do not mix: a cdktf resource in a cdktn 0.24 app fails its synth
 * (`_resetResolveDiscoveredProviderFeatureUsage is not a function`), and an app often has both
 * installed (cdktf-cli, which runs on Node 20 where cdktn-cli does not, and the prebuilt
 * @cdktf/provider-* packages bring cdktf into a cdktn app). So the choice is, in order:
 * `CDKTF_IMMUTA_CDK` (`cdktf` or `cdktn`) when set; else the one the app has already loaded (an
 * app imports its CDK before this library); else cdktn if it can be resolved; else cdktf.
 *
 * `constructs` is resolved from the chosen package's own directory: the library's constructs are
 * then the very classes of the app's, whatever version of constructs that CDK package accepts.
 */
import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import type * as Cdktf from "cdktf";
import type * as Synthesizer from "cdktf/lib/synthesize/synthesizer";
import type * as Constructs from "constructs";
import { SynthError } from "../src/errors";

/** The CDK packages the library works with, in the order it looks for them. */
export const CDK_PACKAGES = ["cdktn", "cdktf"] as const;
export type CdkPackageName = (typeof CDK_PACKAGES)[number];

/** The environment variable that names the package, whatever is installed or loaded. */
export const CDK_CHOICE_ENV = "CDKTF_IMMUTA_CDK";

interface Located {
  readonly name: CdkPackageName;
  /** Its package.json, to resolve its own `constructs` from. */
  readonly manifest: string;
  /** Its entry point. */
  readonly entry: string;
}

/** The copy of the package the app has loaded already (by its entry point in the module cache). */
function loadedPackage(name: CdkPackageName): Located | undefined {
  const suffix = `${sep}node_modules${sep}${name}${sep}lib${sep}index.js`;
  const entry = Object.keys(require.cache).find((path) => path.endsWith(suffix));
  if (entry === undefined) return undefined;
  return { name, entry, manifest: join(dirname(dirname(entry)), "package.json") };
}

function resolvePackage(name: CdkPackageName): Located | undefined {
  try {
    return {
      name,
      manifest: require.resolve(`${name}/package.json`),
      entry: require.resolve(name),
    };
  } catch {
    return undefined;
  }
}

function locate(): Located {
  const chosen = process.env[CDK_CHOICE_ENV];
  if (chosen !== undefined && chosen !== "") {
    if (!(CDK_PACKAGES as readonly string[]).includes(chosen)) {
      throw new SynthError(
        `${CDK_CHOICE_ENV}="${chosen}": must be one of ${CDK_PACKAGES.map((p) => `"${p}"`).join(" or ")}`,
      );
    }
    const located = resolvePackage(chosen as CdkPackageName);
    if (located) return located;
    throw new SynthError(
      `${CDK_CHOICE_ENV}="${chosen}", but ${chosen} cannot be resolved from ${__dirname}: ` +
        `install it (npm install ${chosen} constructs)`,
    );
  }
  const found =
    CDK_PACKAGES.map(loadedPackage).find((l) => l !== undefined) ??
    CDK_PACKAGES.map(resolvePackage).find((l) => l !== undefined);
  if (found) return found;
  throw new SynthError(
    `cdktf-immuta needs a CDK for Terraform package, and neither cdktn (CDK Terrain) nor cdktf ` +
      `can be resolved from ${__dirname}: install one of them with its constructs ` +
      `(npm install cdktn constructs, or npm install cdktf constructs)`,
  );
}

const located = locate();
const fromPackage = createRequire(located.manifest);

/** The package in use: "cdktf" or "cdktn". */
export const CDK_PACKAGE: CdkPackageName = located.name;

const cdk = require(located.entry) as typeof Cdktf;
const synthesizer = fromPackage(`${located.name}/lib/synthesize/synthesizer`) as typeof Synthesizer;
const constructs = fromPackage("constructs") as typeof Constructs;

// A value and a type of one name, as the packages' own classes are.
export const App = cdk.App;
export type App = Cdktf.App;
export const TerraformStack = cdk.TerraformStack;
export type TerraformStack = Cdktf.TerraformStack;
export const TerraformResource = cdk.TerraformResource;
export type TerraformResource = Cdktf.TerraformResource;
export const TerraformOutput = cdk.TerraformOutput;
export type TerraformOutput = Cdktf.TerraformOutput;
export const TerraformLocal = cdk.TerraformLocal;
export type TerraformLocal = Cdktf.TerraformLocal;
export const Token = cdk.Token;
export const Tokenization = cdk.Tokenization;
export const DefaultTokenResolver = cdk.DefaultTokenResolver;
export const StringConcat = cdk.StringConcat;
export const Lazy = cdk.Lazy;
export const anyToHclTerraform = cdk.anyToHclTerraform;
export const addCustomSynthesis = synthesizer.addCustomSynthesis;
export const Construct = constructs.Construct;
export type Construct = Constructs.Construct;
