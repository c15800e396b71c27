/**
 * The provisioner steps of a tenant's resources, each an argv (no shell, so no quoting bugs and no
 * injection through a key) written as one Terraform expression. The last argument is a label,
 * `immuta-v2 apply policy mask-pii`, which the CLI ignores: Terraform prints it as "the command"
 * in its log and errors, so it should say what the step does.
 */
import type { LocalExecProvisioner } from "cdktf";
import type { CarrierAttributes } from "../src/layout/carriers";
import type { InstanceForm } from "../src/layout/instances";
import type { Kind } from "../src/payload/kinds";
import type { CliArgs } from "./carrier";
import { ENV_CHUNK_CHARS } from "./payload-transport";
import { escapeTemplate } from "./terraform-values";

/** The environment variables the steps read their input from. */
export const PAYLOAD_ENV = "IMMUTA_PAYLOAD";
export const GUARD_ENV = "IMMUTA_GUARD";
export const CONFIRM_ENV = "IMMUTA_CONFIRM";

/** The flag before the label; the CLI drops it and its value. */
export const LABEL_FLAG = "--label";

// `interpreter` and `environment` take a list and a map; ours are expressions producing them.
const asList = (expression: string) => expression as unknown as string[];
const asMap = (expression: string) => expression as unknown as Record<string, string>;

/** A quoted HCL string: literal text, whatever it holds (quotes, backslashes, `${`, newlines). */
export function hclString(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (char === '"' || char === "\\") out += `\\${char}`;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += char;
  }
  return `"${escapeTemplate(out)}"`;
}

/** A tuple of literal strings, in HCL. */
export function hclTuple(args: readonly string[]): string {
  return `[${args.map(hclString).join(", ")}]`;
}

/**
 * An argv as one Terraform expression rather than a list of strings: cdktf resolves a
 * configuration node by node, twice; one node instead of ten adds up.
 */
export function argv(args: readonly string[]): string[] {
  return asList(`\${${hclTuple(args)}}`);
}

/**
 * A local-exec `environment` expression: `NAME_0`, `NAME_1`, ... holding consecutive slices of
 * the string `value` (an expression that may refer to `self`), none when `when` is false.
 * One environment string is limited to 128 KiB on Linux.
 */
export function chunkedEnvironment(name: string, value: string, when = "true"): string {
  const n = ENV_CHUNK_CHARS;
  return (
    `\${ { for i in range(${when} ? ceil(length(${value}) / ${n}) : 0) : ` +
    `"${name}_\${i}" => substr(${value}, i * ${n}, ${n}) } }`
  );
}

/**
 * The create-time POST of one instance of a kind's block. Its payload travels as a file written
 * at synth (the instance's `f`, for large ones) or through the environment; its plan timestamp tells
 * the confirm step whether this deploy created it.
 */
export function applyStep(
  kind: Kind,
  prefix: string,
  cli: CliArgs,
  carrier: CarrierAttributes,
  each: InstanceForm,
): LocalExecProvisioner {
  // --tenant lets a renamed connection's step find the old key in this tenant's state.
  const fixed = hclTuple([...cli.forCommand("apply"), "--kind", kind, "--tenant", prefix]);
  const transport =
    `${each.file} == "" ? ${hclTuple(["--payload-env", PAYLOAD_ENV])} : ` +
    `["--file", ${each.file}]`;
  return {
    type: "local-exec",
    interpreter: asList(
      `\${concat(${fixed}, ["--key=\${each.key}", "--planned-at", ${carrier.marker("self")}], ` +
        `${transport}, ${each.flags}, ["${LABEL_FLAG}"])}`,
    ),
    command: `immuta-v2 apply ${kind} \${each.key}`,
    environment: asMap(
      chunkedEnvironment(PAYLOAD_ENV, carrier.payloadText("self"), `${each.file} == ""`),
    ),
  };
}

/**
 * The destroy-time DELETE of one instance (it may read only `self` and `each.key`). A connection's
 * step also gets its tenant and payload: when the code declares the same connection under another
 * key (a renamed `connectionKey`), the new key's step deletes this one, in the right order.
 */
export function deleteStep(
  kind: Kind,
  prefix: string,
  cli: CliArgs,
  carrier: CarrierAttributes,
): LocalExecProvisioner {
  const connection = kind === "data" ? ["--tenant", prefix, "--payload-env", PAYLOAD_ENV] : [];
  const fixed = hclTuple([...cli.forCommand("delete"), "--kind", kind, ...connection]);
  return {
    type: "local-exec",
    when: "destroy",
    interpreter: asList(`\${concat(${fixed}, ["--key=\${each.key}", "${LABEL_FLAG}"])}`),
    command: `immuta-v2 delete ${kind} \${each.key}`,
    environment:
      kind === "data"
        ? asMap(chunkedEnvironment(PAYLOAD_ENV, carrier.payloadText("self")))
        : undefined,
  };
}

/** The guard's step: its input is the keys (`triggers_replace`) and the adoption settings. */
export function guardStep(prefix: string, cli: CliArgs): LocalExecProvisioner {
  return {
    type: "local-exec",
    interpreter: argv([
      ...cli.forCommand("guard"),
      "--tenant",
      prefix,
      "--input-env",
      GUARD_ENV,
      LABEL_FLAG,
    ]),
    command: `immuta-v2 guard ${prefix}`,
    environment: asMap(
      chunkedEnvironment(
        GUARD_ENV,
        "jsonencode({ keys = self.triggers_replace, settings = self.input })",
      ),
    ),
  };
}

/** `immuta-v2 confirm` for one kind of a tenant, as both of its steps start. */
function confirmArgs(prefix: string, kind: Kind, output: string, cli: CliArgs): string[] {
  return [...cli.forCommand("confirm"), "--tenant", prefix, "--kind", kind, "--output", output];
}

/** A kind's confirm step: its input is the record it makes, and each object's plan timestamp. */
export function confirmStep(
  prefix: string,
  kind: Kind,
  output: string,
  cli: CliArgs,
  markersExpression: string,
): LocalExecProvisioner {
  return {
    type: "local-exec",
    interpreter: argv([
      ...confirmArgs(prefix, kind, output, cli),
      "--input-env",
      CONFIRM_ENV,
      LABEL_FLAG,
    ]),
    command: `immuta-v2 confirm ${prefix} ${kind}`,
    environment: asMap(
      chunkedEnvironment(
        CONFIRM_ENV,
        `jsonencode({ record = self.input, planned_at = plantimestamp(), markers = ${markersExpression} })`,
      ),
    ),
  };
}

/**
 * The confirm resource's destroy-time step, run when the stack is destroyed (a replaced confirm
 * resource is deposed, and Terraform runs no step for it): it deletes the objects of its kind
 * whose instances Terraform drops without their own DELETE, tainted and deposed ones. It runs
 * before those instances are destroyed, since the confirm resource depends on them.
 */
export function strandedDeleteStep(
  prefix: string,
  kind: Kind,
  output: string,
  cli: CliArgs,
): LocalExecProvisioner {
  return {
    type: "local-exec",
    when: "destroy",
    interpreter: argv([...confirmArgs(prefix, kind, output, cli), "--destroying", LABEL_FLAG]),
    command: `immuta-v2 confirm ${prefix} ${kind} --destroying`,
  };
}
