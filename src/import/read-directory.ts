/**
 * A directory of payload files as `immuta clone` writes them, or as people keep them: JSON or YAML,
 * one or several documents per file, in any folder layout. Each document's kind comes from its key
 * field, as PayloadDirectory tells it. A file that cannot be read or parsed, a document of no known
 * kind and a key defined twice are reported; every other object is still imported.
 */
import { relative } from "node:path";
import { ImmutaError, PayloadSyntaxError } from "../errors";
import { KEY_FIELD, KIND_LABEL, payloadKey } from "../payload/kinds";
import {
  UNKNOWN_KIND,
  listPayloadFiles,
  readPayloadDocuments,
  readTextFile,
} from "../payload/load";
import type { RawObject, SourceError } from "./model";
import { selects, type Selection } from "./select";

export interface DirectoryRead {
  readonly objects: RawObject[];
  readonly errors: SourceError[];
}

/** The objects of the files below `directory` (an absolute path); `cwd` shortens file names. */
export function readDirectory(directory: string, selection: Selection, cwd: string): DirectoryRead {
  const objects: RawObject[] = [];
  const errors: SourceError[] = [];
  const first = new Map<string, string>();
  for (const file of listPayloadFiles(directory)) {
    const shown = relative(cwd, file) || file;
    let documents;
    try {
      documents = readPayloadDocuments(readTextFile(file), shown);
    } catch (error) {
      if (error instanceof PayloadSyntaxError) {
        errors.push({ where: `${shown}:${error.line}:${error.column}`, message: error.reason });
      } else if (error instanceof ImmutaError) {
        const message = error.message;
        const own = message.startsWith(`${shown}: `) ? message.slice(shown.length + 2) : message;
        errors.push({ where: shown, message: own });
      } else {
        throw error;
      }
      continue;
    }
    for (const { kind, payload, line } of documents) {
      const where = `${shown}:${line}`;
      if (!kind) {
        errors.push({ where, message: UNKNOWN_KIND });
        continue;
      }
      const key = payloadKey(kind, payload);
      if (key === undefined) {
        errors.push({
          where,
          message: `${KEY_FIELD[kind]} must be a literal string: it names the ${KIND_LABEL[kind]}, and its file`,
        });
        continue;
      }
      if (!selects(selection, kind, key)) continue;
      const id = `${kind}\0${key}`;
      const seen = first.get(id);
      if (seen !== undefined) {
        errors.push({
          where,
          message: `${KIND_LABEL[kind]} "${key}" is defined twice: first at ${seen}; this one is not imported`,
        });
        continue;
      }
      first.set(id, where);
      objects.push({
        kind,
        key,
        value: payload as Record<string, unknown>,
        origin: where,
        fromServer: false,
      });
    }
  }
  return { objects, errors };
}
