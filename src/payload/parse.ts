/**
 * Parsing JSON and YAML texts into payload values, safely: YAML with the core schema only (no
 * custom or language-specific tags), no merge keys, duplicate keys rejected, and alias expansion
 * bounded so that a "billion laughs" document is rejected instead of expanded.
 */
import { parseAllDocuments } from "yaml";
import { PayloadSyntaxError } from "../errors";
import { jsonSyntaxError, lineColumn } from "./json-error";

export type TextFormat = "json" | "yaml";

/** A parsed document and the line it starts on. */
export interface ParsedDocument {
  readonly value: unknown;
  readonly line: number;
}

/** Bound on alias expansion (yaml's `maxAliasCount`): plenty for hand-written files, far too little for a "billion laughs". */
export const MAX_YAML_ALIASES = 100;

export function formatOf(fileName: string): TextFormat | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return "yaml";
  return undefined;
}

export function parseJson(text: string, source: string): ParsedDocument {
  try {
    return { value: JSON.parse(text), line: 1 };
  } catch (error) {
    throw jsonSyntaxError(text, source, error);
  }
}

/** Every non-empty document of a YAML stream. */
export function parseYaml(text: string, source: string): ParsedDocument[] {
  const documents = parseAllDocuments(text, {
    merge: false,
    uniqueKeys: true,
    schema: "core",
    prettyErrors: false,
    strict: true,
  });
  const out: ParsedDocument[] = [];
  for (const doc of Array.isArray(documents) ? documents : []) {
    const problem = doc.errors[0] ?? doc.warnings.find((w) => w.code === "TAG_RESOLVE_FAILED");
    if (problem) {
      const at = problem.linePos?.[0] ?? lineColumn(text, problem.pos[0]);
      const reason =
        problem.code === "TAG_RESOLVE_FAILED"
          ? `${firstLine(problem.message)} (only plain YAML is accepted: no custom tags)`
          : firstLine(problem.message);
      throw new PayloadSyntaxError(source, at.line, "col" in at ? at.col : at.column, reason);
    }
    if (doc.contents === null) continue;
    const start = lineColumn(text, doc.contents.range?.[0] ?? 0);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (error) {
      throw new PayloadSyntaxError(
        source,
        start.line,
        start.column,
        `${(error as Error).message}: its aliases expand too far; write the values out instead`,
      );
    }
    // A document of only comments, or an empty one after a trailing `---`, holds no payload.
    if (value !== null) out.push({ value, line: start.line });
  }
  return out;
}

function firstLine(message: string): string {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}

/** Parses a text of the given format into its documents (JSON holds exactly one). */
export function parseDocuments(text: string, source: string, format: TextFormat): ParsedDocument[] {
  return format === "json" ? [parseJson(text, source)] : parseYaml(text, source);
}
