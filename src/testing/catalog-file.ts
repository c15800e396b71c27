/**
 * A catalog file (the format `immuta-v2 serve --catalog` reads: YAML or JSON, one document),
 * checked by the server's own checker, so that one file serves the server and the simulator.
 */
import { PayloadFileError, UsageError } from "../errors";
import { readTextFile } from "../payload/load";
import { formatOf, parseDocuments } from "../payload/parse";
import type { AccessCatalog } from "../access/types";
import { checkCatalog } from "../server/catalog";

export function loadCatalogFile(file: string): AccessCatalog {
  const format = formatOf(file);
  if (!format) throw new UsageError(`catalog ${file}: expected a .yaml, .yml or .json file`);
  const documents = parseDocuments(readTextFile(file), file, format);
  if (documents.length !== 1) {
    throw new PayloadFileError(`${file}: a catalog is one document (found ${documents.length})`);
  }
  return checkCatalog(documents[0].value, file);
}
