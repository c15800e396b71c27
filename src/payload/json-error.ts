/**
 * Where a JSON text stops being JSON. `JSON.parse` in Node 20 names no position for some errors
 * ("Unexpected token '}'"), so on failure this small scanner finds the offset and what was expected.
 * It runs only on the error path.
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
      for (;;) {
        ws();
        if (text[i] !== '"') fail("a property name in double quotes");
        string();
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
