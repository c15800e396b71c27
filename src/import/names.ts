/**
 * Names import makes up from keys: file names and TypeScript variable names. Keys may hold any
 * character (spaces, slashes, accents), so each name keeps the key's letters and digits, and a
 * name two keys would share gets a number: the first key (in the import's order) keeps it plain.
 */
import type { Kind } from "../payload/kinds";

/** Longest file name stem: some file systems stop at 255 bytes, and paths get long. */
const MAX_STEM = 80;

/** The folder each kind's files go in. */
export const KIND_FOLDER: Record<Kind, string> = {
  purpose: "purposes",
  data: "data-sources",
  policy: "policies",
  project: "projects",
};

/**
 * `fraud analysis` → `fraud-analysis`. Lower case, so that two keys differing only in case do not
 * land on one file on a case-insensitive file system (they are numbered instead).
 */
export function fileStem(key: string): string {
  const stem = key
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9._]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, MAX_STEM)
    .replace(/[-.]+$/, "");
  // Windows reserves these names whatever the extension.
  return stem === "" || /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/.test(stem) ? `_${stem}` : stem;
}

/** Words that cannot be variable names, and the names the generated module itself uses. */
const RESERVED = new Set([
  ...["break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete"],
  ...["do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if"],
  ...["import", "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw"],
  ...["true", "try", "typeof", "var", "void", "while", "with", "let", "static", "yield"],
  ...["await", "implements", "interface", "package", "private", "protected", "public"],
  ...["arguments", "eval", "undefined", "NaN", "Infinity"],
  ...["scope", "provider", "governance"],
]);

/** Longer names would make lines of the generated code too long to read. */
const MAX_IDENTIFIER = 40;

/** `Purpose Hierarchy` → `purposeHierarchy`, `dwh-prod` → `dwhProd`. */
export function identifier(key: string, kind: Kind): string {
  const words = key
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "")
    .slice(0, 8);
  let name = words
    .map((word, i) => {
      const lowered = /^[A-Z0-9]+$/.test(word) ? word.toLowerCase() : word;
      return i === 0
        ? lowered[0].toLowerCase() + lowered.slice(1)
        : lowered[0].toUpperCase() + lowered.slice(1);
    })
    .join("")
    .slice(0, MAX_IDENTIFIER);
  if (name === "" || /^[0-9]/.test(name))
    name = `${kind}${name[0]?.toUpperCase() ?? ""}${name.slice(1)}`;
  return RESERVED.has(name) ? `${name}${kind[0].toUpperCase()}${kind.slice(1)}` : name;
}

/** Hands out names, numbering the second and later holders of one name. */
export class UniqueNames {
  readonly #taken = new Set<string>();

  constructor(private readonly fold: (name: string) => string = (name) => name) {}

  take(wanted: string, separator = ""): string {
    let name = wanted;
    for (let n = 2; this.#taken.has(this.fold(name)); n++) name = `${wanted}${separator}${n}`;
    this.#taken.add(this.fold(name));
    return name;
  }
}
