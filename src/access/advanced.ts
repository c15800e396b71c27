/**
 * Immuta's advanced subscription DSL (`actions.advanced`), the part the simulator can evaluate:
 * `@isInGroups('A', 'B')`, `@hasAttribute('Name', 'Value')`, `@hasTagAsAttribute('Name',
 * 'dataSource' | 'column')`, `@hasTagAsGroup('dataSource' | 'column')`, joined by AND, OR, NOT and
 * parentheses. Anything else (`@database`, `@hostname`, `@iam`, ...) evaluates to unknown, never
 * to a grant (see choices.ts).
 */
import type { UserContext } from "./user";

type Node =
  | { readonly kind: "and" | "or"; readonly left: Node; readonly right: Node }
  | { readonly kind: "not"; readonly operand: Node }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly string[] };

export type Parsed = { readonly node: Node } | { readonly error: string };

/** What the DSL's tag functions look at. */
export interface TagContext {
  readonly tableTags: readonly string[];
  readonly columnTags: readonly string[];
}

/** true, false, or undefined when the simulator cannot tell. */
export interface Evaluated {
  readonly value: boolean | undefined;
  readonly why: string;
}

const TOKEN =
  /\s*(?:(\()|(\))|(,)|@([A-Za-z_][A-Za-z0-9_]*)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([A-Za-z]+))/y;

type Token =
  | { readonly t: "(" | ")" | "," | "end"; readonly at: number }
  | { readonly t: "fn"; readonly v: string; readonly at: number }
  | { readonly t: "str"; readonly v: string; readonly at: number }
  | { readonly t: "word"; readonly v: string; readonly at: number };

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) return `cannot read "${text.slice(at).trim().slice(0, 20)}" at character ${at + 1}`;
    const start = at + (m[0].length - m[0].trimStart().length) + 1;
    if (m[1]) tokens.push({ t: "(", at: start });
    else if (m[2]) tokens.push({ t: ")", at: start });
    else if (m[3]) tokens.push({ t: ",", at: start });
    else if (m[4] !== undefined) tokens.push({ t: "fn", v: m[4], at: start });
    else if (m[5] !== undefined)
      tokens.push({ t: "str", v: m[5].replace(/\\(.)/g, "$1"), at: start });
    else if (m[6] !== undefined)
      tokens.push({ t: "str", v: m[6].replace(/\\(.)/g, "$1"), at: start });
    else tokens.push({ t: "word", v: m[7]!.toUpperCase(), at: start });
    at = TOKEN.lastIndex;
  }
  tokens.push({ t: "end", at: text.length + 1 });
  return tokens;
}

/** Parses the DSL; a syntax error names the character where reading stopped. */
export function parseAdvanced(text: string): Parsed {
  const tokens = tokenize(text);
  if (typeof tokens === "string") return { error: tokens };
  let i = 0;
  const peek = () => tokens[i];
  const fail = (what: string): never => {
    throw new SyntaxError(`expected ${what} at character ${peek().at}`);
  };
  const word = (w: string) => {
    const token = peek();
    return token.t === "word" && token.v === w;
  };
  const or = (): Node => {
    let left = and();
    while (word("OR")) {
      i++;
      left = { kind: "or", left, right: and() };
    }
    return left;
  };
  const and = (): Node => {
    let left = not();
    while (word("AND")) {
      i++;
      left = { kind: "and", left, right: not() };
    }
    return left;
  };
  const not = (): Node => {
    if (word("NOT")) {
      i++;
      return { kind: "not", operand: not() };
    }
    return primary();
  };
  const primary = (): Node => {
    const token = peek();
    if (token.t === "(") {
      i++;
      const inner = or();
      if (peek().t !== ")") fail("')'");
      i++;
      return inner;
    }
    if (token.t !== "fn") return fail("a function such as @isInGroups(...)");
    i++;
    const args: string[] = [];
    if (peek().t === "(") {
      i++;
      if (peek().t !== ")") {
        for (;;) {
          const arg = peek();
          if (arg.t !== "str") fail("a quoted argument");
          args.push((arg as { v: string }).v);
          i++;
          if (peek().t === ",") i++;
          else break;
        }
      }
      if (peek().t !== ")") fail("')' or ','");
      i++;
    }
    return { kind: "call", name: (token as { v: string }).v, args };
  };
  try {
    const node = or();
    if (peek().t !== "end") fail("AND, OR or the end");
    return { node };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

export function evaluateAdvanced(node: Node, user: UserContext, tags: TagContext): Evaluated {
  switch (node.kind) {
    case "not": {
      const inner = evaluateAdvanced(node.operand, user, tags);
      return {
        value: inner.value === undefined ? undefined : !inner.value,
        why: `NOT (${inner.why})`,
      };
    }
    case "and":
    case "or": {
      const a = evaluateAdvanced(node.left, user, tags);
      const b = evaluateAdvanced(node.right, user, tags);
      const decisive = node.kind === "and" ? false : true;
      // Kleene logic: one decisive side settles it, even when the other is unknown.
      for (const side of [a, b]) if (side.value === decisive) return side;
      if (a.value === undefined || b.value === undefined) {
        return { value: undefined, why: [a, b].filter((s) => s.value === undefined)[0].why };
      }
      return { value: !decisive, why: `${a.why} and ${b.why}` };
    }
    case "call":
      return call(node.name, node.args, user, tags);
  }
}

function call(
  name: string,
  args: readonly string[],
  user: UserContext,
  tags: TagContext,
): Evaluated {
  const unknown = (): Evaluated => ({
    value: undefined,
    why: `@${name}(${args.map((a) => `'${a}'`).join(", ")}) cannot be evaluated by the simulator`,
  });
  if (args.some((a) => a.includes("@"))) return unknown();
  switch (name) {
    case "isInGroups": {
      const member = args.filter((g) => user.groups.has(g));
      return member.length > 0
        ? { value: true, why: `member of group ${member[0]}` }
        : { value: false, why: `not a member of ${args.map((g) => `group ${g}`).join(" or ")}` };
    }
    case "hasAttribute": {
      if (args.length !== 2) return unknown();
      const [attribute, value] = args;
      const holds = user.attributes.get(attribute)?.has(value) ?? false;
      return { value: holds, why: `${holds ? "has" : "has no"} attribute ${attribute}=${value}` };
    }
    case "hasTagAsAttribute": {
      if (args.length !== 2) return unknown();
      const list = scopeTags(args[1], tags);
      if (!list) return unknown();
      const values = user.attributes.get(args[0]) ?? new Set<string>();
      const hit = list.find((t) => values.has(t));
      return hit !== undefined
        ? { value: true, why: `attribute ${args[0]}=${hit} matches a ${args[1]} tag` }
        : { value: false, why: `no value of attribute ${args[0]} matches a ${args[1]} tag` };
    }
    case "hasTagAsGroup": {
      if (args.length !== 1) return unknown();
      const list = scopeTags(args[0], tags);
      if (!list) return unknown();
      const hit = list.find((t) => user.groups.has(t));
      return hit !== undefined
        ? { value: true, why: `member of group ${hit}, a ${args[0]} tag` }
        : { value: false, why: `member of no group named like a ${args[0]} tag` };
    }
    default:
      return unknown();
  }
}

function scopeTags(scope: string, tags: TagContext): readonly string[] | undefined {
  if (scope === "dataSource") return tags.tableTags;
  if (scope === "column") return tags.columnTags;
  return undefined;
}
