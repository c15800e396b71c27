/**
 * Where a JSON text stops being JSON, or repeats a key. `JSON.parse` in Node 20 names no position
 * for some errors ("Unexpected token '}'") and silently keeps the last of two equal keys, so this
 * small scanner finds the offset and what was expected. It runs only on the error path; the check
 * every parse pays for is `duplicateKeyError`'s count, one pass without allocation.
 */

import { PayloadSyntaxError } from "../errors";

export interface JsonErrorLocation {
  readonly offset: number;
  readonly reason: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function locateJsonError(text: string): JsonErrorLocation | undefined {
  return scan(text, false);
}

/**
 * Walks a JSON text; stops at the first syntax error, or with `duplicates` at the first key an
 * object repeats (compared as decoded: `"a"` and `"\u0061"` are the same key).
 */
function scan(text: string, duplicates: boolean): JsonErrorLocation | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const found = () => (i < text.length ? JSON.stringify(text[i]) : "end of input");
  const fail = (expected: string): never => {
    throw new Stop(i, `expected ${expected}, found ${found()}`);
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail("a JSON value");
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail("a closing quote (control characters must be escaped)");
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail("four hex digits after \\u");
          i += 5;
        } else if ('"\\/bfnrt'.includes(text[i] ?? "")) i++;
        else fail("a valid escape sequence");
      } else i++;
    }
    if (i >= text.length) fail("a closing quote");
    i++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match || match[0] === "" || match[0] === "-") fail("a JSON value");
    i += match![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      /** This object's keys so far, and where each was written. */
      const keys = new Map<string, number>();
      for (;;) {
        ws();
        if (text[i] !== '"') fail("a property name in double quotes");
        const start = i;
        string();
        if (duplicates) {
          const key = JSON.parse(text.slice(start, i)) as string;
          const first = keys.get(key);
          if (first !== undefined) {
            const at = lineColumn(text, first);
            throw new Stop(
              start,
              `duplicate key ${JSON.stringify(key)} (first at line ${at.line}, column ${at.column}); ` +
                `an object may name each key once`,
            );
          }
          keys.set(key, start);
        }
        ws();
        if (text[i] !== ":") fail("':' after the property name");
        i++;
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") return void i++;
        fail("',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") return void i++;
        fail("',' or ']'");
      }
    }
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    return number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail("the end of the document");
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return { offset: error.offset, reason: error.reason };
    throw error;
  }
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The error for a text JSON.parse refused, located by line and column. */
export function jsonSyntaxError(text: string, source: string, error: unknown): PayloadSyntaxError {
  const located = locateJsonError(text) ?? { offset: 0, reason: (error as Error).message };
  const { line, column } = lineColumn(text, located.offset);
  return new PayloadSyntaxError(source, line, column, `invalid JSON: ${located.reason}`);
}

/**
 * The error for a text `JSON.parse` accepted whose objects repeat a key (JSON.parse keeps the last
 * one silently, where YAML refuses): undefined when none does. The members written in the text
 * are counted (every `:` outside strings is one) and compared with the keys the value holds; only
 * when they differ is the text scanned again to say where.
 */
export function duplicateKeyError(
  text: string,
  value: unknown,
  source: string,
): PayloadSyntaxError | undefined {
  if (countMembers(text) === countKeys(value)) return undefined;
  const located = scan(text, true);
  if (!located) return undefined;
  const { line, column } = lineColumn(text, located.offset);
  return new PayloadSyntaxError(source, line, column, `invalid JSON: ${located.reason}`);
}

/** How many `key: value` members a valid JSON text writes. */
function countMembers(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a) count++;
    else if (c === 0x22) {
      // Skip the string: to the next quote not escaped by an odd run of backslashes.
      for (;;) {
        const end = text.indexOf('"', i + 1);
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
        i = end;
        if (backslashes % 2 === 0) break;
      }
    }
  }
  return count;
}

/** How many keys the objects of a parsed JSON value hold, at any depth (without recursion). */
function countKeys(root: unknown): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item !== null && typeof item === "object") stack.push(item);
      continue;
    }
    for (const key in value) {
      count++;
      const item = (value as Record<string, unknown>)[key];
      if (item !== null && typeof item === "object") stack.push(item);
    }
  }
  return count;
}
