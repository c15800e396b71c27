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

/** A document of a payload file, whose kind may not be told (see `loadPayloadText`). */
export interface PayloadDocument {
  readonly kind: Kind | undefined;
  readonly payload: unknown;
  readonly file: string;
  readonly line: number;
}

export const UNKNOWN_KIND =
  "cannot tell the kind of this payload: it needs connectionKey (data source), " +
  "policyKey (policy), projectKey (project) or name (purpose)";

/** Every document of one text, each with its kind when its key field tells it. */
export function readPayloadDocuments(text: string, source: string): PayloadDocument[] {
  const format = formatOf(source);
  if (!format) {
    throw new PayloadFileError(`${source}: not a payload file (expected .json, .yaml or .yml)`);
  }
  return parseDocuments(text, source, format).map(({ value, line }) => ({
    kind: detectKind(value),
    payload: value,
    file: source,
    line,
  }));
}

/** The payloads of one text; `source` names it in errors. A document of no known kind is one. */
export function loadPayloadText(text: string, source: string): LoadedPayload[] {
  return readPayloadDocuments(text, source).map((document) => {
    if (!document.kind) {
      throw new PayloadFileError(`${source}:${document.line}: ${UNKNOWN_KIND}`);
    }
    return document as LoadedPayload;
  });
}

/** A file's text, or an error naming the file and why it cannot be read. */
export function readTextFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new PayloadFileError(
      `${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
}

export function loadPayloadFile(file: string): LoadedPayload[] {
  return loadPayloadText(readTextFile(file), file);
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
