/**
 * Loading payload files: `.json`, `.yaml` and `.yml`, one or several YAML documents per file,
 * comments allowed. Each document's kind comes from its key field.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
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

/**
 * The payload files at a path: the path itself when it is a file, else every .json, .yaml and
 * .yml file below it, recursively, in a stable order (by name, byte order).
 */
export function listPayloadFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return listPayloadFiles(child);
      return formatOf(entry.name) ? [child] : [];
    });
}
