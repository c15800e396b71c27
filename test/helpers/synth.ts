import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { ImmutaProvider, type ImmutaProviderProps } from "../../providers";
import { argvFromConfiguration } from "../../src/review/terraform-values";

export interface SynthesizedStack {
  readonly json: string;
  readonly config: TerraformJson;
  /** The stack's directory, with cdk.tf.json and any payload files. */
  readonly dir: string;
}

export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
  locals?: Record<string, unknown>;
  provider?: Record<string, unknown>;
  terraform?: Record<string, unknown>;
}

/** Synthesizes one stack fully (custom synthesis included), with an ImmutaProvider unless told not to. */
export function synthStack(
  build: (stack: TerraformStack, provider: ImmutaProvider | undefined) => void,
  providerProps: ImmutaProviderProps | false = {},
  outdir?: string,
): SynthesizedStack {
  const app = outdir ? new App({ outdir, skipValidation: true }) : Testing.app();
  const stack = new TerraformStack(app, "governance");
  const provider =
    providerProps === false ? undefined : new ImmutaProvider(stack, "immuta", providerProps);
  build(stack, provider);
  app.synth();
  const dir = join(app.outdir, "stacks", "governance");
  const json = readFileSync(join(dir, "cdk.tf.json"), "utf8");
  return { json, config: JSON.parse(json) as TerraformJson, dir };
}

/** The resources of one type, by name. */
export function resourcesOf(config: TerraformJson, type = "terraform_data") {
  return config.resource?.[type] ?? {};
}

/** The one resource whose construct path ends with `suffix` (e.g. `research/apply`). */
export function resourceAt(config: TerraformJson, suffix: string, type = "terraform_data") {
  const found = Object.entries(resourcesOf(config, type)).filter(([, r]) =>
    String((r["//"] as { metadata: { path: string } }).metadata.path).endsWith(`/${suffix}`),
  );
  if (found.length !== 1)
    throw new Error(`expected one resource at ${suffix}, found ${found.length}`);
  const [name, resource] = found[0];
  const carried = (resource as { triggers_replace?: unknown }).triggers_replace;
  const provisioner = (
    (resource as { provisioner?: { "local-exec": LocalExec }[] }).provisioner ?? []
  ).map((step) => ({
    "local-exec": {
      ...step["local-exec"],
      interpreter: argvFromConfiguration(step["local-exec"].interpreter),
    },
  }));
  return {
    name,
    address: `${type}.${name}`,
    // A payload known at synth is carried as its JSON text, escaped for Terraform.
    payload:
      typeof carried === "string"
        ? JSON.parse(carried.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{"))
        : carried,
    ...(resource as Record<string, unknown>),
    provisioner,
  } as {
    name: string;
    address: string;
    /** The payload the resource carries, as Immuta receives it (from triggers_replace). */
    payload?: unknown;
    triggers_replace?: unknown;
    input?: unknown;
    triggers?: Record<string, string>;
    depends_on?: string[];
    provisioner: { "local-exec": LocalExec }[];
    lifecycle?: unknown;
  };
}

export interface LocalExec {
  command: string;
  interpreter: string[];
  environment?: unknown;
  when?: string;
}

/** The synthesized resource addresses, sorted: public API, pinned by snapshots. */
export function addresses(config: TerraformJson): string[] {
  return Object.entries(config.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .concat(Object.keys(config.output ?? {}).map((name) => `output.${name}`))
    .sort();
}

export function readStackFile(stack: SynthesizedStack, path: string): string {
  return readFileSync(join(stack.dir, path), "utf8");
}

export { App };
