/**
 * A provisioner step's argv, read from the synthesized configuration as Terraform would read it:
 * its `interpreter` is one HCL expression (`${concat(["node", ...], ["--key", each.key], ...)}`)
 * and its `command`, the label, a template over `each.key`. This evaluates the small part of HCL
 * the steps use (quoted strings, tuples, `concat`, `try`, `==`, `? :` and references into a
 * given context) and refuses anything else, so that a test can run a step's argv through the CLI
 * in-process. Terraform itself runs them in test/e2e.
 */

/** What a step's expressions may refer to: `each.key`, `each.value.f`, `self.input`, ... */
export type Context = Record<string, unknown>;

export interface Step {
  readonly interpreter: unknown;
  readonly command: string;
}

/** The process arguments Terraform starts: the interpreter's, then the command (the label). */
export function stepArgv(step: Step, context: Context): string[] {
  if (typeof step.interpreter !== "string") throw new Error("interpreter is not an expression");
  const whole = /^\$\{([\s\S]*)\}$/.exec(step.interpreter);
  if (!whole) throw new Error(`interpreter is not one expression: ${step.interpreter}`);
  const args = new Parser(whole[1], context).parseAll();
  if (!Array.isArray(args) || args.some((a) => typeof a !== "string")) {
    throw new Error(`interpreter is not a list of strings: ${JSON.stringify(args)}`);
  }
  return [...(args as string[]), template(step.command, context)];
}

/** A template whose interpolations are references (`immuta-v2 apply purpose ${each.key}`). */
export function template(text: string, context: Context): string {
  return text
    .split(/(\$\$\{|%%\{|\$\{[^}]*\})/)
    .map((part) => {
      if (part === "$${" || part === "%%{") return part.slice(1);
      const interpolation = /^\$\{(.*)\}$/.exec(part);
      return interpolation ? String(new Parser(interpolation[1], context).parseAll()) : part;
    })
    .join("");
}

/** A reference that does not resolve (an attribute the value lacks): only `try` may skip it. */
const UNRESOLVED = Symbol("unresolved");

class Parser {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly context: Context,
  ) {}

  parseAll(): unknown {
    const value = this.resolved(this.expression());
    this.space();
    if (this.at !== this.text.length) this.fail("unexpected text");
    return value;
  }

  private resolved(value: unknown): unknown {
    return value === UNRESOLVED ? this.fail("a reference that does not resolve") : value;
  }

  private expression(): unknown {
    const left = this.comparison();
    if (!this.eat("?")) return left;
    this.resolved(left);
    const then = this.expression();
    this.expect(":");
    const otherwise = this.expression();
    return left === true ? then : left === false ? otherwise : this.fail("condition not a bool");
  }

  private comparison(): unknown {
    const left = this.primary();
    if (!this.eat("==")) return left;
    return JSON.stringify(this.resolved(left)) === JSON.stringify(this.resolved(this.primary()));
  }

  private primary(): unknown {
    this.space();
    const char = this.text[this.at];
    if (char === '"') return this.string();
    if (char === "[") return this.tuple();
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.at))?.[0];
    if (!name) return this.fail("expected a value");
    this.at += name.length;
    if (this.eat("(")) return this.call(name);
    let value: unknown = this.context[name];
    if (!(name in this.context)) this.fail(`unknown name ${name}`);
    while (this.eat(".")) {
      const attribute = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.at))?.[0];
      if (!attribute) this.fail("expected an attribute name");
      this.at += attribute!.length;
      const holder = value as Record<string, unknown>;
      // Terraform fails such a reference; try() takes its next argument instead.
      value =
        holder !== null && typeof holder === "object" && attribute! in holder
          ? holder[attribute!]
          : UNRESOLVED;
    }
    return value;
  }

  private call(name: string): unknown {
    const args = this.list(")");
    if (name === "try")
      return args.find((a) => a !== UNRESOLVED) ?? this.fail("try: no argument resolves");
    args.forEach((a) => this.resolved(a));
    if (name === "concat") return (args as unknown[][]).flat(1);
    if (name === "format" && typeof args[0] === "string" && !/%[^s]/.test(args[0])) {
      let i = 1;
      return args[0].replace(/%s/g, () => String(args[i++]));
    }
    return this.fail(`unsupported function ${name}`);
  }

  private tuple(): unknown[] {
    this.expect("[");
    return this.list("]");
  }

  private list(close: string): unknown[] {
    const items: unknown[] = [];
    this.space();
    while (!this.eat(close)) {
      if (items.length > 0) this.expect(",");
      items.push(this.expression());
      this.space();
    }
    return items;
  }

  /**
   * A quoted string: JSON's escapes, `$${` and `%%{` for the literal characters, and
   * interpolations of references (`"--key=${each.key}"`).
   */
  private string(): string {
    const match = /^"((?:[^"\\$%]|\\.|\$\$\{|%%\{|\$\{[^}"]*\}|[$%](?![{]))*)"/.exec(
      this.text.slice(this.at),
    );
    if (!match) return this.fail("unterminated string, or a directive in it");
    this.at += match[0].length;
    return match[1]
      .split(/(\$\$\{|%%\{|\$\{[^}"]*\})/)
      .map((part) => {
        if (part === "$${" || part === "%%{") return part.slice(1);
        const interpolation = /^\$\{(.*)\}$/.exec(part);
        if (interpolation) return String(new Parser(interpolation[1], this.context).parseAll());
        return JSON.parse(`"${part}"`) as string;
      })
      .join("");
  }

  private space(): void {
    while (/\s/.test(this.text[this.at] ?? "")) this.at++;
  }

  private eat(token: string): boolean {
    this.space();
    if (!this.text.startsWith(token, this.at)) return false;
    this.at += token.length;
    return true;
  }

  private expect(token: string): void {
    if (!this.eat(token)) this.fail(`expected ${token}`);
  }

  private fail(message: string): never {
    throw new Error(`${message} at ${this.at} of: ${this.text}`);
  }
}

/** The context of one instance's steps: `each.key`, `each.value`, and `self`'s plan timestamp. */
export function instanceContext(
  key: string,
  value: { f: string; a: string[] } | string,
  plannedAt = "2000-01-01T00:00:00Z",
): Context {
  return {
    each: { key, value },
    self: { input: plannedAt, triggers: { planned: plannedAt } },
  };
}

/**
 * A CLI argv read as the CLI reads it: the command, then its options by name (`--key X` and
 * `--key=X` alike; a flag without a value is `true`), so that a test states what a step asks for
 * rather than how the argv spells it.
 */
export function stepOptions(argv: readonly string[]): {
  command: string;
  options: Record<string, string | true>;
} {
  const [, , command, ...rest] = argv;
  const options: Record<string, string | true> = {};
  for (let i = 0; i < rest.length; i++) {
    const match = /^--([^=]+)(?:=([\s\S]*))?$/.exec(rest[i]);
    if (!match) throw new Error(`not an option: ${rest[i]} in ${JSON.stringify(argv)}`);
    const [, name, inline] = match;
    if (inline !== undefined) options[name] = inline;
    else if (i + 1 < rest.length && !rest[i + 1].startsWith("--")) options[name] = rest[++i];
    else options[name] = true;
  }
  return { command, options };
}
