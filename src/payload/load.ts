/**
 * Loading payload files: `.json`, `.yaml` and `.yml`, one or several YAML documents per file,
 * comments allowed. Each document's kind comes from its key field.
 */
import { readFileSync } from "node:fs";
import { PayloadFileError } from "../errors";
import { detectKind, type Kind } from "./kinds";
import { formatOf, parseDocuments } from "./parse";

export interface LoadedPayload {
  readonly kind: Kind;
  readonly payload: unknown;
  /** The file, as given. */
  readonly file: string;
  /** Where the document starts, 1-based. */
  readonly line: number;
}

/** The payloads of one text; `source` names it in errors. */
export function loadPayloadText(text: string, source: string): LoadedPayload[] {
  const format = formatOf(source);
  if (!format) {
    throw new PayloadFileError(`${source}: not a payload file (expected .json, .yaml or .yml)`);
  }
  return parseDocuments(text, source, format).map(({ value, line }) => {
    const kind = detectKind(value);
    if (!kind) {
      throw new PayloadFileError(
        `${source}:${line}: cannot tell the kind of this payload: it needs connectionKey (data source), ` +
          `policyKey (policy), projectKey (project) or name (purpose)`,
      );
    }
    return { kind, payload: value, file: source, line };
  });
}

export function loadPayloadFile(file: string): LoadedPayload[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new PayloadFileError(
      `${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  return loadPayloadText(text, file);
}
