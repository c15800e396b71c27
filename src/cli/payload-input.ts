/**
 * Reading the one payload `apply` sends: from a file (JSON, or YAML by its extension) or from the
 * environment, where Terraform passes a payload too long for one variable as NAME_0, NAME_1, ...
 * The YAML parser is loaded only for YAML files: most payloads are JSON, and start-up is the cost
 * of every changed object in a deploy.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { PayloadFileError, UsageError } from "../errors";
import { withoutMarkers } from "../payload/unchecked";

export interface PayloadInput {
  readonly payload: Record<string, unknown>;
  /** Where it came from, for messages: the file as given, or `$NAME`. */
  readonly source: string;
}

export interface PayloadSource {
  readonly file?: string;
  readonly "payload-env"?: string;
}

export function readPayload(
  values: PayloadSource,
  env: NodeJS.ProcessEnv,
  cwd: string,
): PayloadInput {
  const file = values.file;
  const name = values["payload-env"];
  if ((file === undefined) === (name === undefined)) {
    throw new UsageError("give the payload with exactly one of --file FILE or --payload-env NAME");
  }
  if (file !== undefined) return fromFile(file, cwd);
  return fromEnv(name as string, env);
}

function fromFile(file: string, cwd: string): PayloadInput {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PayloadFileError(
      `${file}: cannot read the payload file: ${code === "ENOENT" ? "no such file" : (code ?? error)}`,
    );
  }
  const lower = file.toLowerCase();
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
    const { parseYaml } = require("../payload/parse") as typeof import("../payload/parse");
    const documents = parseYaml(text, file);
    if (documents.length !== 1) {
      throw new PayloadFileError(
        `${file}: holds ${documents.length} payloads; apply sends exactly one (split the file, ` +
          `or check them all with immuta-v2 validate)`,
      );
    }
    return { payload: asObject(documents[0].value, file), source: file };
  }
  return { payload: asObject(parseJson(text, file), file), source: file };
}

/** `NAME`, or when unset the concatenation of `NAME_0`, `NAME_1`, ... up to the first missing one. */
export function readChunkedEnv(name: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env[name] !== undefined) return env[name];
  if (env[`${name}_0`] === undefined) return undefined;
  let text = "";
  for (let i = 0; env[`${name}_${i}`] !== undefined; i++) text += env[`${name}_${i}`];
  return text;
}

function fromEnv(name: string, env: NodeJS.ProcessEnv): PayloadInput {
  const text = readChunkedEnv(name, env);
  if (text === undefined) {
    throw new UsageError(
      `--payload-env ${name}: neither ${name} nor ${name}_0 is set in the environment`,
    );
  }
  const source = `$${name}`;
  return { payload: asObject(parseJson(text, source), source), source };
}

function parseJson(text: string, source: string): unknown {
  const { duplicateKeyError, jsonSyntaxError } =
    require("../payload/json-error") as typeof import("../payload/json-error");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw jsonSyntaxError(text, source, error);
  }
  // JSON.parse keeps the last of two equal keys; a payload file that says `name` twice is a
  // mistake to point at (as YAML's parser does), not a value to pick.
  const duplicate = duplicateKeyError(text, value, source);
  if (duplicate) throw duplicate;
  return value;
}

/**
 * A payload object, without our own fields, which are not Immuta's: the `$schema` an editor's
 * file may carry, and the `$unchecked` marks that exempt an object from validation.
 */
function asObject(value: unknown, source: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new PayloadFileError(
      `${source}: a payload is one JSON object; this is ${Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`}`,
    );
  }
  const { $schema: _editorHint, ...payload } = value as Record<string, unknown>;
  return withoutMarkers(payload);
}
