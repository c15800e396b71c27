/**
 * Putting the generated files on disk. A file whose text is already there is left untouched (a
 * re-import of an unchanged tenant changes no file, not even its time). Files of the kinds
 * imported that this import did not write are left as they are, and listed: they may be objects
 * since deleted from the tenant, which PayloadDirectory would still deploy.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Kind } from "../payload/kinds";
import { formatOf } from "../payload/parse";
import type { ImportResult } from "./model";
import { KIND_FOLDER } from "./names";
import { payloadFiles, type OutputFile } from "./write-files";
import { typescriptModule } from "./write-ts";

export type Format = "files" | "ts";

export interface Written {
  /** The output folder: `--out`, or the folder of the module `--out` names. */
  readonly root: string;
  /** Every file of the import, relative to `root`. */
  readonly files: readonly OutputFile[];
  /** How many had new text. */
  readonly changed: number;
  /** Payload files in the imported kinds' folders that this import did not write. */
  readonly others: readonly string[];
}

/** The module's file name when `--out` names a folder. */
export const MODULE_FILE = "governance.ts";

export function writeOutput(
  result: ImportResult,
  format: Format,
  out: string,
  kinds: readonly Kind[],
): Written {
  // `--out x.ts` names the module itself.
  const [root, moduleFile] = out.endsWith(".ts")
    ? [dirname(out), basename(out)]
    : [out, MODULE_FILE];
  const files: readonly OutputFile[] =
    format === "files"
      ? payloadFiles(result.objects, root)
      : [{ path: moduleFile, text: typescriptModule(result.objects), objects: result.objects }];
  let changed = 0;
  for (const file of files) {
    const path = join(root, file.path);
    if (readIfExists(path) === file.text) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
    changed++;
  }
  const others: string[] = [];
  if (format === "files") {
    const written = new Set(files.map((file) => file.path));
    for (const kind of kinds) {
      const folder = KIND_FOLDER[kind];
      for (const name of listFiles(join(root, folder))) {
        const path = `${folder}/${name}`;
        if (formatOf(name) && !written.has(path)) others.push(path);
      }
    }
  }
  return { root, files, changed, others: others.sort() };
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}
