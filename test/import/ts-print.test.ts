/**
 * The TypeScript printer lays modules out as prettier does, without prettier at run time: checked
 * by running prettier over modules of generated objects that go where layouts differ (long keys,
 * long strings, quotes, numbers, nested lists, secrets, long construct ids).
 */
import type { ImportedObject } from "../../src/import/model";
import { Code, print, str } from "../../src/import/ts-print";
import { typescriptModule } from "../../src/import/write-ts";
import { prettier } from "./support";

/** A small deterministic generator (a linear congruential one), so failures reproduce. */
function generator(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] };
}

const TEXTS = [
  "a",
  "description",
  "x".repeat(30),
  "it's",
  'say "hi"',
  "both ' and \"",
  "größe",
  "line\nbreak",
  "tab\there",
  "emoji 😀",
  "long ".repeat(25),
  "",
  "__proto__",
  "0",
  "with-dash",
  "$env",
  "back\\slash",
];

function objectsFor(seed: number): ImportedObject[] {
  const { next, pick } = generator(seed);
  const value = (depth: number): unknown => {
    const roll = next();
    if (depth > 3 || roll < 0.35) {
      return pick<unknown>([
        pick(TEXTS),
        Math.floor(next() * 1000),
        next() < 0.5,
        1e21,
        -3,
        0.5,
        null,
        { $env: `${"V".repeat(Math.floor(next() * 60))}X` },
        Array.from({ length: 35 }, (_, i) => i * 7),
      ]);
    }
    if (roll < 0.65) return Array.from({ length: Math.floor(next() * 5) }, () => value(depth + 1));
    const object: Record<string, unknown> = {};
    for (let i = 0; i < Math.floor(next() * 5); i++) object[pick(TEXTS)] = value(depth + 1);
    return object;
  };
  const object = (kind: ImportedObject["kind"], key: string, payload: object): ImportedObject => ({
    kind,
    key,
    payload: payload as Record<string, unknown>,
    problems: [],
    secrets: [],
    facts: {},
    origin: "generated",
  });
  // Purposes of short and long names, and projects referring to them: `const x = new ...` heads.
  const purposes = [8, 40, 70, 95].map((length) => {
    const name = `Purpose ${"n".repeat(length)}`;
    return object("purpose", name, {
      name,
      subpurposes: [{ name: `${name}.${"S".repeat(pick([3, 60]))}` }],
    });
  });
  const projects = purposes.map((purpose, i) => {
    const sub = (purpose.payload.subpurposes as { name: string }[])[0].name;
    return object("project", `project ${i}`, {
      projectKey: `project ${i}`,
      name: "P",
      purposes: [purpose.key, sub, "elsewhere"],
    });
  });
  const policies = Array.from({ length: 30 }, (_, i) => {
    const key = `${pick(["k", "a rather long policy key that goes on and on and on and on and on and", "q'uote", 'd"q'])}${i}`;
    return {
      kind: "policy" as const,
      key,
      payload: { policyKey: key, name: pick(TEXTS), config: value(0), list: [value(1), value(1)] },
      problems: i % 7 === 0 ? [{ path: "name", message: "a */ problem\non two lines" }] : [],
      secrets: [],
      facts: {},
      origin: "generated",
    };
  });
  return [...purposes, ...policies, ...projects];
}

describe("the TypeScript printer", () => {
  it.each([1, 2, 3, 4, 5, 6])("prints modules prettier leaves as they are (seed %i)", (seed) => {
    const module = typescriptModule(objectsFor(seed));
    expect(prettier(module)).toBe(module);
  });

  it("quotes strings as prettier does: double quotes unless single quotes need fewer escapes", () => {
    expect(str("it's")).toBe('"it\'s"');
    expect(str('say "hi"')).toBe("'say \"hi\"'");
    expect(str("both ' and \"")).toBe('"both \' and \\""');
    expect(str("line\nbreak")).toBe('"line\\nbreak"');
  });

  it("keeps `__proto__` a property rather than the prototype", () => {
    // JSON.parse makes __proto__ an own property; so must the printed literal.
    const parsed = JSON.parse('{"__proto__": 1}') as unknown;
    expect(print(parsed, 0, 0, 0)).toBe('{ ["__proto__"]: 1 }');
  });

  it("breaks a call's arguments one a line only when the call does not fit", () => {
    const call = new Code("Secret.fromEnv", [str("SHORT")]);
    expect(print(call, 2, 20, 1)).toBe('Secret.fromEnv("SHORT")');
    const long = new Code("Secret.fromEnv", [str("L".repeat(90))]);
    expect(print(long, 2, 20, 1)).toBe(`Secret.fromEnv(\n      "${"L".repeat(90)}",\n    )`);
  });
});
