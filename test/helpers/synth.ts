import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { ImmutaProvider, type ImmutaProviderProps } from "../../providers";
import type { Kind } from "../../src/payload/kinds";
import { blockInstances } from "../../src/layout/instances";

export interface SynthesizedStack {
  readonly json: string;
  readonly config: TerraformJson;
  /** The stack's directory, with cdk.tf.json and any payload files. */
  readonly dir: string;
  /** The `moved` blocks of immuta-upgrade.tf.json, or undefined when there is no such file. */
  readonly moved?: { from: string; to: string }[];
}

export interface TerraformJson {
  locals?: Record<string, unknown>;
  resource?: Record<string, Record<string, Resource>>;
  output?: Record<string, { value: unknown; description?: string }>;
  provider?: Record<string, unknown>;
  terraform?: Record<string, unknown>;
}

/** One resource (or resource block) of the synthesized configuration. */
export interface Resource {
  "//"?: { immuta?: Record<string, unknown>; metadata?: { path: string } };
  /** Its instances (read through the local value the configuration references). */
  for_each?: Record<string, InstanceValue>;
  triggers_replace?: unknown;
  input?: unknown;
  triggers?: Record<string, string>;
  depends_on?: string[];
  lifecycle?: Record<string, unknown>;
  provisioner?: { "local-exec": LocalExec }[];
}

/** What a block's `for_each` holds for one object. */
export interface InstanceValue {
  /** The payload: canonical JSON text (escaped for Terraform), or a value holding tokens. */
  p: unknown;
  /** The payload file, relative to the stack directory, or "". */
  f: string;
  /** The apply step's query flags. */
  a: string[];
}

export interface LocalExec {
  command: string;
  interpreter: unknown;
  environment?: unknown;
  when?: string;
}

export const UPGRADE_FILE = "immuta-upgrade.tf.json";

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary output directory for an app, removed once the test file has run. */
export function tempOutdir(): string {
  const dir = mkdtempSync(join(tmpdir(), "immuta-synth-"));
  outdirs.push(dir);
  return dir;
}

/**
 * cdktf's `Testing.synth` of one stack (for its matchers), like `Testing.synthScope` but in an
 * app whose directory is removed afterwards.
 */
export function synthScope(build: (stack: TerraformStack) => void): string {
  const stack = new TerraformStack(Testing.app({ outdir: tempOutdir() }), "stack");
  build(stack);
  return Testing.synth(stack);
}

/** Synthesizes one stack fully (custom synthesis included), with an ImmutaProvider unless told not to. */
export function synthStack(
  build: (stack: TerraformStack, provider: ImmutaProvider | undefined) => void,
  providerProps: ImmutaProviderProps | false = {},
  outdir?: string,
): SynthesizedStack {
  const app = outdir
    ? new App({ outdir, skipValidation: true })
    : Testing.app({ outdir: tempOutdir() });
  const stack = new TerraformStack(app, "governance");
  const provider =
    providerProps === false ? undefined : new ImmutaProvider(stack, "immuta", providerProps);
  build(stack, provider);
  app.synth();
  const dir = join(app.outdir, "stacks", "governance");
  const json = readFileSync(join(dir, "cdk.tf.json"), "utf8");
  const upgrade = join(dir, UPGRADE_FILE);
  const moved = existsSync(upgrade)
    ? (JSON.parse(readFileSync(upgrade, "utf8")) as { moved: SynthesizedStack["moved"] }).moved
    : undefined;
  return { json, config: JSON.parse(json) as TerraformJson, dir, moved };
}

/** The resources of one type, by name. */
export function resourcesOf(config: TerraformJson, type = "terraform_data") {
  return config.resource?.[type] ?? {};
}

/** One resource by name (`immuta_guard`), or an error listing those there are. */
export function resourceNamed(config: TerraformJson, name: string, type = "terraform_data") {
  const found = resourcesOf(config, type)[name];
  if (!found) {
    throw new Error(
      `no ${type}.${name}; there are: ${Object.keys(resourcesOf(config, type)).join(", ")}`,
    );
  }
  return withInstances(config, found);
}

/** The resource with its `for_each` as the instances it references (a local value). */
function withInstances(config: TerraformJson, resource: Resource): Resource {
  if (resource.for_each === undefined) return resource;
  return { ...resource, for_each: blockInstances<InstanceValue>(config, resource) };
}

/** A tenant's block of one kind: `terraform_data.immuta_purpose`. */
export function blockOf(
  config: TerraformJson,
  kind: Kind,
  options: { tenant?: string; type?: string } = {},
): Resource {
  return resourceNamed(config, `${options.tenant ?? "immuta"}_${kind}`, options.type);
}

/** `${` → `$${`, `%{` → `%%{`: how a literal is written in the configuration. */
export const escaped = (text: string) => text.replace(/\$\{/g, "$$${").replace(/%\{/g, "%%{");

/** The reverse: how Terraform reads a literal of the configuration. */
export const unescaped = (text: string) => text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");

/**
 * One object's instance of its kind's block (looked up by its key as Immuta knows it), with its
 * payload as the CLI receives it when it is known at synth (`payload`), or the Terraform value
 * holding references (`p`).
 */
export function instanceOf(
  config: TerraformJson,
  kind: Kind,
  key: string,
  options: { tenant?: string; type?: string } = {},
): InstanceValue & { payload?: unknown } {
  const instances = blockOf(config, kind, options).for_each ?? {};
  const value = instances[escaped(key)];
  if (!value) {
    throw new Error(`no instance "${key}" of ${kind}; there are: ${Object.keys(instances)}`);
  }
  return {
    ...value,
    payload: typeof value.p === "string" ? JSON.parse(unescaped(value.p)) : undefined,
  };
}

/** A resource's create-time step (`create`) or destroy-time step (`destroy`). */
export function stepOf(resource: Resource, when: "create" | "destroy"): LocalExec {
  const steps = (resource.provisioner ?? []).map((p) => p["local-exec"]);
  const found = steps.filter((s) => (s.when === "destroy") === (when === "destroy"));
  if (found.length !== 1) throw new Error(`expected one ${when}-time step, found ${found.length}`);
  return found[0];
}

/**
 * The synthesized addresses, sorted: every resource and output, and each object's instance as
 * Terraform names it (`terraform_data.immuta_purpose["Research"]`). Public API, pinned by
 * snapshots.
 */
export function addresses(config: TerraformJson): string[] {
  return Object.entries(config.resource ?? {})
    .flatMap(([type, byName]) =>
      Object.entries(byName).flatMap(([name, resource]) => [
        `${type}.${name}`,
        ...Object.keys(withInstances(config, resource).for_each ?? {}).map(
          (key) => `${type}.${name}[${JSON.stringify(key)}]`,
        ),
      ]),
    )
    .concat(Object.keys(config.output ?? {}).map((name) => `output.${name}`))
    .sort();
}

/** Every file the synth wrote into the stack directory, relative to it. */
export function stackFiles(stack: SynthesizedStack): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
    );
  return walk(stack.dir)
    .map((file) => relative(stack.dir, file))
    .sort();
}

export function readStackFile(stack: SynthesizedStack, path: string): string {
  return readFileSync(join(stack.dir, path), "utf8");
}
