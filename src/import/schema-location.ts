/**
 * Where the package's JSON Schemas are (`schemas/<kind>.json`), for the editor hint at the top of
 * each payload file: the package's own folder, found by walking up to its package.json, so that it
 * is `node_modules/cdktf-immuta/schemas` in a user's project and `schemas` in this repository.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import type { Kind } from "../payload/kinds";

let found: string | undefined | null = null;

export function schemasDirectory(): string | undefined {
  if (found !== null) return found;
  found = undefined;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    try {
      if (
        (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "cdktf-immuta"
      ) {
        found = join(dir, "schemas");
        break;
      }
    } catch {
      // an unreadable package.json is not ours; keep walking up
    }
  }
  return found;
}

/** The schema of a kind as a path relative to a file's folder, with `/` on every system. */
export function schemaReference(kind: Kind, fileFolder: string): string | undefined {
  const dir = schemasDirectory();
  if (dir === undefined) return undefined;
  return relative(fileFolder, join(dir, `${kind}.json`))
    .split(sep)
    .join("/");
}
