/**
 * Parsing JSON and YAML texts into payload values, safely: duplicate keys rejected in both; YAML
 * with the core schema only (no custom or language-specific tags), no merge keys, and bounded
 * costs, so that a hostile text is refused instead of parsed at any price: aliases may not expand
 * a document past a size (a "billion laughs", or one large list used a hundred times), and a
 * caller that parses text from strangers (the server) can cap the tokens a parse may take.
 */
import { Composer, Lexer, Parser, visit, type Document } from "yaml";
import { PayloadSyntaxError } from "../errors";
import { duplicateKeyError, jsonSyntaxError, lineColumn } from "./json-error";

export type TextFormat = "json" | "yaml";

/** A parsed document and the line it starts on. */
export interface ParsedDocument {
  readonly value: unknown;
  readonly line: number;
}

/** Bound on alias nesting (yaml's `maxAliasCount`): plenty for hand-written files, far too little for a "billion laughs". */
export const MAX_YAML_ALIASES = 100;

/**
 * How large aliases may make one document, in bytes of JSON (estimated from below: the length of
 * its strings and one byte per value). 10 MiB is what the embedded server accepts in one request
 * by default: a document that expands past it could not be sent as JSON either.
 */
export const MAX_EXPANDED_BYTES = 10 * 1024 * 1024;

export interface YamlLimits {
  /**
   * Refuse a text of more lexical tokens than this before parsing it: parsing YAML costs about
   * 3 µs and 1 KB per token, so this caps both. @default unlimited
   */
  readonly maxTokens?: number;
  /** Refuse a document whose aliases expand it past this many bytes. @default MAX_EXPANDED_BYTES */
  readonly maxExpandedBytes?: number;
}

/**
 * A text that is refused for what parsing it would cost rather than for its syntax; the server
 * answers 413 for it.
 */
export class ParseLimitError extends PayloadSyntaxError {}

export function formatOf(fileName: string): TextFormat | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return "yaml";
  return undefined;
}

export function parseJson(text: string, source: string): ParsedDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw jsonSyntaxError(text, source, error);
  }
  const duplicate = duplicateKeyError(text, value, source);
  if (duplicate) throw duplicate;
  return { value, line: 1 };
}

/** Every non-empty document of a YAML stream. */
export function parseYaml(text: string, source: string, limits: YamlLimits = {}): ParsedDocument[] {
  const maxTokens = limits.maxTokens ?? Infinity;
  const maxExpandedBytes = limits.maxExpandedBytes ?? MAX_EXPANDED_BYTES;
  const composer = new Composer({
    merge: false,
    uniqueKeys: true,
    schema: "core",
    prettyErrors: false,
    strict: true,
  });
  // Counted first, by the lexer alone (a tenth of the cost of parsing): a text over the budget is
  // refused before anything is built of it.
  if (maxTokens < Infinity) checkTokens(text, source, maxTokens);
  const documents = [...composer.compose(new Parser().parse(text))];
  const out: ParsedDocument[] = [];
  for (const doc of documents) {
    const problem = doc.errors[0] ?? doc.warnings.find((w) => w.code === "TAG_RESOLVE_FAILED");
    if (problem) {
      const at = lineColumn(text, problem.pos[0]);
      const reason =
        problem.code === "TAG_RESOLVE_FAILED"
          ? `${firstLine(problem.message)} (only plain YAML is accepted: no custom tags)`
          : firstLine(problem.message);
      throw new PayloadSyntaxError(source, at.line, at.column, reason);
    }
    if (doc.contents === null) continue;
    const start = lineColumn(text, doc.contents.range?.[0] ?? 0);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (error) {
      throw new ParseLimitError(
        source,
        start.line,
        start.column,
        `${(error as Error).message}: its aliases expand too far; write the values out instead`,
      );
    }
    // Aliases share one value in memory, but everything after (validation, storing, printing)
    // walks them out in full.
    if (hasAliases(doc) && expandedBytes(value, maxExpandedBytes) > maxExpandedBytes) {
      throw new ParseLimitError(
        source,
        start.line,
        start.column,
        `its aliases expand it to more than ${maxExpandedBytes} bytes; write the values out, or ` +
          `split the document`,
      );
    }
    // A document of only comments, or an empty one after a trailing `---`, holds no payload.
    if (value !== null) out.push({ value, line: start.line });
  }
  return out;
}

const MARKERS = new Set(["\x02", "\x18", "\x1f"]);

/** Throws a `ParseLimitError` at the first lexical token past `maxTokens`. */
function checkTokens(text: string, source: string, maxTokens: number): void {
  let count = 0;
  let offset = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (++count > maxTokens) {
      const at = lineColumn(text, offset);
      throw new ParseLimitError(
        source,
        at.line,
        at.column,
        `more than ${maxTokens} YAML tokens: too large to parse as YAML; send it as JSON`,
      );
    }
    // The lexer's markers (document start, scalar, flow end) are not in the text.
    if (!MARKERS.has(lexeme)) offset += lexeme.length;
  }
}

/** Whether a document uses an alias (only then can it be larger than its text). */
function hasAliases(doc: Document.Parsed): boolean {
  let found = false;
  visit(doc, {
    Alias() {
      found = true;
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * The size of a value written out in full (every alias expanded), estimated from below: string
 * lengths plus one byte per value. Aliases share one object in memory, so each object's size is
 * computed once and counted wherever it is used: the cost follows the text, not the expansion.
 * A value that contains itself (a recursive alias) is infinite.
 */
function expandedBytes(root: unknown, limit: number): number {
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  const scalar = (value: unknown) => 1 + (typeof value === "string" ? value.length : 0);
  const sizeOf = (value: unknown) =>
    value !== null && typeof value === "object" ? sizes.get(value)! : scalar(value);
  if (root === null || typeof root !== "object") return scalar(root);
  // Depth-first, without recursion (documents may nest deeply): each object is visited once
  // before its children and once after them.
  const stack: { readonly node: object; readonly after: boolean }[] = [
    { node: root, after: false },
  ];
  while (stack.length > 0) {
    const { node, after } = stack.pop()!;
    const children = Array.isArray(node) ? node : Object.values(node);
    if (after) {
      let size = 1;
      for (const child of children) size += sizeOf(child);
      if (!Array.isArray(node)) for (const key of Object.keys(node)) size += key.length;
      sizes.set(node, Math.min(size, limit + 1));
      open.delete(node);
      continue;
    }
    if (sizes.has(node)) continue;
    if (open.has(node)) return Infinity;
    open.add(node);
    stack.push({ node, after: true });
    for (const child of children) {
      if (child === null || typeof child !== "object") continue;
      if (open.has(child)) return Infinity;
      if (!sizes.has(child)) stack.push({ node: child, after: false });
    }
  }
  return sizes.get(root)!;
}

function firstLine(message: string): string {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}

/** Parses a text of the given format into its documents (JSON holds exactly one). */
export function parseDocuments(text: string, source: string, format: TextFormat): ParsedDocument[] {
  return format === "json" ? [parseJson(text, source)] : parseYaml(text, source);
}
