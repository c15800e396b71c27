/** Where things are: the repository root and the files the benchmarks run. */
import { join } from "node:path";

export const REPO = join(__dirname, "..", "..");
export const CLI_BIN = join(REPO, "bin", "immuta-v2.js");
/** The compiled package, as users load it (`npm run build` writes it). */
export const LIB_INDEX = join(REPO, "lib", "src", "index.js");
export const RESULTS_DIR = join(REPO, "bench", "results");
export const CHILDREN_DIR = join(REPO, "bench", "children");
