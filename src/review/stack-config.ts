/**
 * The Immuta objects of a synthesized stack (`cdktf.out/stacks/NAME/cdk.tf.json`), read through
 * the descriptions the provider layer writes beside each of its resources (src/layout): per
 * tenant, its connection settings, and per object, its kind, key and desired payload. A resource
 * that runs the CLI but carries no description this version can read is an error, never skipped:
 * a review that silently saw nothing would pass every change.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PayloadFileError } from "../errors";
import type { ConnectionSettings } from "../layout/connection";
import { LayoutError, readDescriptor } from "../layout/descriptor";
import type { Kind } from "../payload/kinds";
import { fromCarrierValue, fromConfiguration, type ReadPayload } from "./terraform-values";
import { blockInstances } from "../layout/instances";

export interface ConfiguredObject {
  /** The tenant's resource name prefix. */
  readonly tenant: string;
  readonly kind: Kind;
  readonly key: string;
  /** The block's resource type and name: with the key, the instance's address. */
  readonly type: string;
  readonly block: string;
  /** The payload as Terraform will send it, when the configuration alone can say. */
  readonly desired: ReadPayload;
  readonly connection: ConnectionSettings;
}

export interface ConfiguredTenant {
  readonly prefix: string;
  readonly connection: ConnectionSettings;
  /** The stack output recording the tenant's last confirmation. */
  readonly output?: string;
  /** Keys the code adopts (`adopt: true`), or every key (`adoptExisting`). */
  readonly adopt: ReadonlySet<string>;
  readonly adoptAll: boolean;
}

export interface StackConfiguration {
  readonly objects: readonly ConfiguredObject[];
  readonly tenants: ReadonlyMap<string, ConfiguredTenant>;
}

type Resource = Record<string, unknown> & {
  readonly for_each?: unknown;
  readonly provisioner?: unknown;
  readonly input?: { adopt?: string[]; adopt_all?: boolean };
};

/** What the block's instances hold for each object: payload (or file) as the carrier wrote it. */
interface InstanceValue {
  readonly p?: unknown;
  readonly f?: string;
}

interface Config {
  readonly locals?: Record<string, unknown>;
  readonly resource?: Record<string, Record<string, Resource>>;
}

/**
 * What betrays a resource that runs our CLI (any version, any `cliCommand`): its name, or the
 * flags and variables only our steps pass.
 */
const LOOKS_LIKE_OURS =
  /immuta-v2|--payload-env|--manifest-env|IMMUTA_(PAYLOAD|MANIFEST|GUARD|CONFIRM)/;

/**
 * The stack folders below a directory given in place of one: cdktf's output directory
 * (`cdktf.out`), its `stacks` folder, or the app's directory; each as `dir` joined with its path.
 */
function stacksBelow(dir: string): string[] {
  for (const prefix of ["", "stacks", join("cdktf.out", "stacks")]) {
    const at = join(dir, prefix);
    let names: string[];
    try {
      names = readdirSync(at);
    } catch {
      continue;
    }
    const stacks = names.filter((name) => existsSync(join(at, name, "cdk.tf.json")));
    if (stacks.length > 0) return stacks.sort().map((name) => join(dir, prefix, name));
  }
  return [];
}

export function readStackConfiguration(stackDir: string): StackConfiguration {
  const file = join(stackDir, "cdk.tf.json");
  let config: Config;
  try {
    config = JSON.parse(readFileSync(file, "utf8")) as Config;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const stacks = code === "ENOENT" ? stacksBelow(stackDir) : [];
    throw new PayloadFileError(
      stacks.length > 0
        ? `${stackDir} is not a synthesized stack (no cdk.tf.json); --stack-dir names one ` +
            `stack's folder: ${stacks.join(", ")}`
        : `${file}: cannot read the synthesized stack (${code ?? (error as Error).message}); ` +
            "run cdktf synth first",
    );
  }
  const objects: ConfiguredObject[] = [];
  const tenants = new Map<string, ConfiguredTenant>();
  const tenant = (prefix: string, connection: ConnectionSettings): ConfiguredTenant =>
    tenants.get(prefix) ?? { prefix, connection, adopt: new Set(), adoptAll: false };
  for (const [type, byName] of Object.entries(config.resource ?? {})) {
    for (const [name, resource] of Object.entries(byName)) {
      const address = `${type}.${name}`;
      let descriptor;
      try {
        descriptor = readDescriptor(resource, address);
      } catch (error) {
        if (error instanceof LayoutError) throw new PayloadFileError(`${file}: ${error.message}`);
        throw error;
      }
      if (!descriptor) {
        if (LOOKS_LIKE_OURS.test(JSON.stringify(resource.provisioner ?? ""))) {
          throw new PayloadFileError(
            `${file}: ${address} runs immuta-v2 but carries no description of what it manages ` +
              `(synthesized by cdktf-immuta 0.1.0, or edited); synthesize the stack again with ` +
              `this version (cdktf synth)`,
          );
        }
        continue;
      }
      const current = tenant(descriptor.tenant, descriptor.connection);
      if (descriptor.role === "guard") {
        const adopt = resource.input?.adopt ?? [];
        tenants.set(descriptor.tenant, {
          ...current,
          adopt: new Set(adopt.map((a) => fromConfiguration(a).payload as string)),
          adoptAll: resource.input?.adopt_all === true,
        });
      } else if (descriptor.role === "confirm") {
        tenants.set(descriptor.tenant, { ...current, output: descriptor.output });
      } else {
        tenants.set(descriptor.tenant, current);
        for (const [escapedKey, value] of Object.entries(
          blockInstances<InstanceValue>(config, resource),
        )) {
          objects.push({
            tenant: descriptor.tenant,
            kind: descriptor.kind,
            key: fromConfiguration(escapedKey).payload as string,
            type,
            block: name,
            desired: value.f
              ? { payload: JSON.parse(readFileSync(join(stackDir, value.f), "utf8")), unknown: [] }
              : fromCarrierValue(value.p),
            connection: descriptor.connection,
          });
        }
      }
    }
  }
  if (tenants.size === 0) {
    throw new PayloadFileError(
      `${file}: no Immuta resources in this stack (no ImmutaProvider was synthesized into it); ` +
        `is --stack-dir the stack that manages your Immuta objects?`,
    );
  }
  return { objects, tenants };
}
