/**
 * The Immuta objects of a synthesized stack (`cdktf.out/stacks/NAME/cdk.tf.json`): for each, the
 * Terraform address of the resource that applies it, its kind and key, its desired payload, and
 * the connection flags its provisioner passes to the CLI (each tenant has its own).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PayloadFileError } from "../errors";
import { isKind, type Kind } from "../payload/kinds";
import {
  argvFromConfiguration,
  fromCarrierValue,
  fromConfiguration,
  type ReadPayload,
} from "./terraform-values";

export interface ConfiguredObject {
  /** `terraform_data.research_apply_66B6385C` */
  readonly address: string;
  readonly kind: Kind;
  readonly key: string;
  /** The payload as Terraform will send it, when the configuration alone can say. */
  readonly desired: ReadPayload;
  /** The provisioner's flags after the command: `--url`, `--api-key-env`, `--auth-header`, ... */
  readonly flags: Readonly<Record<string, string>>;
}

/** A tenant's prune resource: where its deletions come from. */
export interface ConfiguredPrune {
  readonly address: string;
  /** The stack output recording the tenant's previous list. */
  readonly output: string;
  /** The `kind/key` list the tenant manages in this configuration. */
  readonly manifest: readonly string[];
  readonly flags: Readonly<Record<string, string>>;
}

export interface StackConfiguration {
  readonly objects: readonly ConfiguredObject[];
  readonly prunes: readonly ConfiguredPrune[];
}

interface LocalExec {
  readonly interpreter?: string | readonly string[];
  readonly command?: string;
}

type Resource = Record<string, unknown> & {
  provisioner?: { "local-exec"?: LocalExec }[];
  triggers_replace?: unknown;
  triggers?: Record<string, string>;
};

interface Config {
  readonly resource?: Record<string, Record<string, Resource>>;
  readonly locals?: Record<string, unknown>;
}

export function readStackConfiguration(stackDir: string): StackConfiguration {
  const file = join(stackDir, "cdk.tf.json");
  let config: Config;
  try {
    config = JSON.parse(readFileSync(file, "utf8")) as Config;
  } catch (error) {
    throw new PayloadFileError(
      `${file}: cannot read the synthesized stack (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); run cdktf synth first`,
    );
  }
  const objects: ConfiguredObject[] = [];
  const prunes: ConfiguredPrune[] = [];
  for (const [type, byName] of Object.entries(config.resource ?? {})) {
    for (const [name, resource] of Object.entries(byName)) {
      const step = resource.provisioner?.find((p) => p["local-exec"])?.["local-exec"];
      const args = argvFromConfiguration(step?.interpreter);
      const pruneAt = args.indexOf("prune");
      if (pruneAt >= 0) {
        const flags = readFlags(args.slice(pruneAt + 1));
        const manifest = desiredPayload(resource, flags, config, stackDir, "manifest").payload;
        prunes.push({
          address: `${type}.${name}`,
          output: step?.command ?? "",
          flags,
          manifest: Array.isArray(manifest) ? (manifest as string[]) : [],
        });
        continue;
      }
      const at = args.indexOf("apply");
      if (at < 0 || args[at + 1] !== "--kind" || !isKind(args[at + 2])) continue;
      const flags = readFlags(args.slice(at + 1));
      objects.push({
        address: `${type}.${name}`,
        kind: args[at + 2] as Kind,
        key: fromConfiguration(step?.command ?? "").payload as string,
        desired: desiredPayload(resource, flags, config, stackDir),
        flags,
      });
    }
  }
  return { objects, prunes };
}

/** `--name value` pairs, and bare `--switch`es as "true". */
function readFlags(args: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    if (!args[i].startsWith("--")) continue;
    const name = args[i].slice(2);
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith("--")) flags[name] = args[++i];
    else flags[name] = "true";
  }
  return flags;
}

/** What a carrier resource carries: a payload (`payload`) or a prune's list (`manifest`). */
function desiredPayload(
  resource: Resource,
  flags: Record<string, string>,
  config: Config,
  stackDir: string,
  trigger: "payload" | "manifest" = "payload",
): ReadPayload {
  if (flags.file) {
    return { payload: JSON.parse(readFileSync(join(stackDir, flags.file), "utf8")), unknown: [] };
  }
  if (resource.triggers_replace !== undefined) return fromCarrierValue(resource.triggers_replace);
  // The null_resource carrier encodes the payload from a local value.
  const local = /^\$\{jsonencode\(local\.([A-Za-z0-9_-]+)\)\}$/.exec(
    resource.triggers?.[trigger] ?? "",
  );
  if (local && config.locals?.[local[1]] !== undefined)
    return fromConfiguration(config.locals[local[1]]);
  return { payload: undefined, unknown: ["(payload)"] };
}
