/**
 * Printing values as TypeScript literals, laid out as prettier lays them out (print width 100,
 * double quotes, trailing commas: this repository's prettier settings), so that the generated
 * module is formatted without prettier at run time: the CLI runs in users' projects, where
 * prettier may be absent or of another version, and import must give the same bytes everywhere.
 * The rules are prettier's own for what import prints (object and array literals, strings,
 * numbers, calls with literal arguments); a test runs prettier over generated modules to keep
 * them in step.
 */

export const PRINT_WIDTH = 100;
const INDENT = "  ";

/**
 * An expression printed as it is: a variable (`research`), or a call with printed literal
 * arguments (`Secret.fromEnv("X")`), whose arguments go one a line when the call does not fit.
 */
export class Code {
  constructor(
    readonly callee: string,
    readonly args?: readonly string[],
  ) {}

  get text(): string {
    return this.args ? `${this.callee}(${this.args.join(", ")})` : this.callee;
  }
}

/** A string literal, quoted as prettier quotes it: double quotes unless that needs more escapes. */
export function str(value: string): string {
  const json = JSON.stringify(value);
  const doubles = (value.match(/"/g) ?? []).length;
  const singles = (value.match(/'/g) ?? []).length;
  if (doubles <= singles) return json;
  const inner = json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${inner}'`;
}

/** A number as prettier prints it (`1e21`, not `1e+21`). */
function num(value: number): string {
  return String(value).toLowerCase().replace("e+", "e");
}

/** An identifier that may stand unquoted as a property key (prettier's quoteProps "as-needed"). */
const IDENTIFIER = /^[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$\u200c\u200d]*$/u;

function key(name: string): string {
  // `__proto__: x` would set the prototype; a computed key defines a property.
  if (name === "__proto__") return `[${str(name)}]`;
  return IDENTIFIER.test(name) ? name : str(name);
}

/**
 * A value printed starting at column `column`, with `trailing` characters after it on its line
 * (a comma). Lines after the first are indented for `depth` (the depth of the line it starts on).
 */
export function print(value: unknown, depth: number, column: number, trailing: number): string {
  if (value instanceof Code) return printCall(value, depth, column, trailing);
  if (typeof value === "string") return str(value);
  if (typeof value === "number") return num(value);
  if (typeof value === "boolean" || value === null) return String(value);
  if (Array.isArray(value)) return printArray(value, depth, column, trailing);
  if (typeof value === "object") {
    return printObject(value as Record<string, unknown>, depth, column, trailing);
  }
  throw new Error(`cannot print a ${typeof value} as TypeScript`);
}

const fits = (column: number, text: string, trailing: number) =>
  !text.includes("\n") && column + text.length + trailing <= PRINT_WIDTH;

function printCall(code: Code, depth: number, column: number, trailing: number): string {
  const text = code.text;
  if (!code.args || code.args.length === 0 || fits(column, text, trailing)) return text;
  const inner = INDENT.repeat(depth + 1);
  return `${code.callee}(\n${code.args.map((arg) => `${inner}${arg},`).join("\n")}\n${INDENT.repeat(depth)})`;
}

function printArray(
  items: readonly unknown[],
  depth: number,
  column: number,
  trailing: number,
): string {
  if (items.length === 0) return "[]";
  const inner = INDENT.repeat(depth + 1);
  const oneLine = `[${items.map((item) => print(item, depth + 1, 0, 0)).join(", ")}]`;
  if (!mustBreakArray(items) && fits(column, oneLine, trailing)) return oneLine;
  if (items.every((item) => typeof item === "number")) {
    // prettier fills lines with numbers rather than giving each its own line.
    const lines: string[] = [];
    let line = "";
    for (const text of items.map((item) => num(item as number))) {
      const next = line === "" ? `${text},` : `${line} ${text},`;
      if (line !== "" && inner.length + next.length > PRINT_WIDTH) {
        lines.push(line);
        line = `${text},`;
      } else line = next;
    }
    lines.push(line);
    return `[\n${lines.map((l) => inner + l).join("\n")}\n${INDENT.repeat(depth)}]`;
  }
  const lines = items.map((item) => `${inner}${print(item, depth + 1, inner.length, 1)},`);
  return `[\n${lines.join("\n")}\n${INDENT.repeat(depth)}]`;
}

/**
 * prettier breaks an array of two or more objects (or arrays) of the same kind, each with more
 * than one entry, whether or not it would fit.
 */
function mustBreakArray(items: readonly unknown[]): boolean {
  if (items.length < 2) return false;
  const shape = (item: unknown) => {
    if (item instanceof Code || item === null || typeof item !== "object") return undefined;
    if (Array.isArray(item)) return item.length > 1 ? "array" : undefined;
    return Object.keys(item).length > 1 ? "object" : undefined;
  };
  const first = shape(items[0]);
  return first !== undefined && items.every((item) => shape(item) === first);
}

function printObject(
  object: Record<string, unknown>,
  depth: number,
  column: number,
  trailing: number,
): string {
  const entries = Object.entries(object);
  if (entries.length === 0) return "{}";
  const flat = entries.map(([name, value]) => `${key(name)}: ${print(value, depth + 1, 0, 0)}`);
  const oneLine = `{ ${flat.join(", ")} }`;
  return fits(column, oneLine, trailing) ? oneLine : expandedObject(entries, depth);
}

/** An object with one property a line: prettier keeps it so, as it was written so. */
export function expandedObject(
  entries: readonly (readonly [string, unknown])[],
  depth: number,
): string {
  const lines = entries.map(([name, value]) => property(name, value, depth + 1));
  return `{\n${lines.join("\n")}\n${INDENT.repeat(depth)}}`;
}

/** Keys narrower than this never have their value moved under them (prettier's "short key"). */
const SHORT_KEY = 5;

/**
 * `name: value,` at `depth`. Like prettier, when even the start of the value does not fit beside
 * a key that is not short, the value moves to the next line, indented (numbers and booleans
 * never move).
 */
function property(name: string, value: unknown, depth: number): string {
  const inner = INDENT.repeat(depth);
  if (value instanceof Code && value.text === name) return `${inner}${name},`;
  const head = `${inner}${key(name)}: `;
  const movable = typeof value !== "boolean" && !(typeof value === "number" && value >= 0);
  if (movable && key(name).length >= SHORT_KEY && head.length + start(value).length > PRINT_WIDTH) {
    const below = `${inner}${INDENT}`;
    return `${inner}${key(name)}:\n${below}${print(value, depth + 1, below.length, 1)},`;
  }
  return `${head}${print(value, depth, head.length, 1)},`;
}

/** What of a value prettier measures beside its key: up to where it could break, else all of it and the comma. */
function start(value: unknown): string {
  if (value instanceof Code) return value.args ? `${value.callee}(` : `${value.text},`;
  if (Array.isArray(value)) return value.length === 0 ? "[]," : "[";
  if (value !== null && typeof value === "object") {
    return Object.keys(value).length === 0 ? "{}," : "{";
  }
  return `${print(value, 0, 0, 0)},`;
}
