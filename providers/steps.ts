/**
 * The provisioner steps both carriers run: each an argv (no shell, so no quoting bugs and no
 * injection through a key), and a Terraform expression, reading only `self`, for what the step
 * needs from the resource's own state.
 */
import type { LocalExecProvisioner } from "cdktf";
import type { CliArgs, ObjectSpec } from "./carrier";
import { ENV_CHUNK_CHARS, chunkedEnvironment } from "./payload-transport";
import { escapeTemplate } from "./terraform-values";

/** The environment variable names the provisioners pass payloads and manifests in. */
export const PAYLOAD_ENV = "IMMUTA_PAYLOAD";
export const MANIFEST_ENV = "IMMUTA_MANIFEST";

// `environment` takes a map; ours is an expression producing one (see chunkedEnvironment).
const asEnvironment = (expression: string) => expression as unknown as Record<string, string>;

/**
 * An argv as one Terraform expression (a tuple of quoted strings) rather than a list of
 * strings: cdktf resolves a configuration node by node, twice, and a deploy of thousands of
 * objects has two provisioned resources per object; one node instead of ten is most of synth.
 */
export function argv(args: readonly string[]): string[] {
  return `\${[${args.map(hclString).join(", ")}]}` as unknown as string[];
}

/** A quoted HCL string: literal text, whatever it holds (quotes, backslashes, `${`, newlines). */
function hclString(text: string): string {
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

/** The destroy-time DELETE of an identity; `keyExpression` reads the key from `self`. */
export function deleteStep(
  spec: ObjectSpec,
  cli: CliArgs,
  keyExpression: string,
): LocalExecProvisioner {
  return {
    type: "local-exec",
    when: "destroy",
    interpreter: argv([...cli.forCommand("delete"), "--kind", spec.kind, "--key"]),
    command: keyExpression,
  };
}

/** The create-time POST of an apply resource; `payloadExpression` is the payload's JSON text. */
export function applyStep(
  spec: ObjectSpec,
  cli: CliArgs,
  payloadExpression: string,
): LocalExecProvisioner {
  // A payload known at synth to fit one environment string needs no chunking expression
  // (which Terraform evaluates, and validates, for every resource of every plan).
  const fitsOneVariable =
    typeof spec.terraformPayload === "string" && spec.terraformPayload.length <= ENV_CHUNK_CHARS;
  const transport = spec.payloadFile
    ? { flags: ["--file", spec.payloadFile], environment: undefined }
    : {
        flags: ["--payload-env", PAYLOAD_ENV],
        environment: fitsOneVariable
          ? { [PAYLOAD_ENV]: `\${${payloadExpression}}` }
          : asEnvironment(chunkedEnvironment(PAYLOAD_ENV, payloadExpression)),
      };
  return {
    type: "local-exec",
    interpreter: argv([
      ...cli.forCommand("apply"),
      "--kind",
      spec.kind,
      ...transport.flags,
      ...spec.applyFlags,
      "--key",
    ]),
    command: escapeTemplate(spec.key),
    environment: transport.environment,
  };
}

/** The prune's create-time step; `manifestExpression` is the current list's JSON text. */
export function pruneStep(
  outputName: string,
  cli: CliArgs,
  manifestExpression: string,
): LocalExecProvisioner {
  return {
    type: "local-exec",
    interpreter: argv([...cli.forCommand("prune"), "--manifest-env", MANIFEST_ENV, "--output"]),
    command: outputName,
    environment: asEnvironment(chunkedEnvironment(MANIFEST_ENV, manifestExpression)),
  };
}
