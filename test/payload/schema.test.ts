import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KINDS, findProblems, payloadSchema, type Kind } from "../../src/payload";
import { schemaFileText } from "../../scripts/write-schemas";
import { copy, documentedPayloads, minimal, seedPayloads } from "./fixtures";

const schemaFile = (kind: Kind) => join(__dirname, "..", "..", "schemas", `${kind}.json`);

describe("the shipped JSON Schemas", () => {
  it.each(KINDS)(
    "schemas/%s.json is generated from the validator's definitions (npm run schemas)",
    (kind) => {
      expect(readFileSync(schemaFile(kind), "utf8")).toBe(schemaFileText(kind));
    },
  );

  it.each(KINDS)(
    "%s: a plain draft-07 validator reading the shipped file agrees with findProblems",
    (kind) => {
      const plain = new Ajv({ allErrors: true, strict: false }).compile(
        JSON.parse(readFileSync(schemaFile(kind), "utf8")),
      );
      for (const payload of corpus(kind)) {
        const valid = plain(payload);
        expect({ payload, valid }).toEqual({
          payload,
          valid: findProblems(kind, payload).length === 0,
        });
      }
    },
  );

  it("is tried on thousands of mutants, valid and not", () => {
    const verdicts = KINDS.flatMap((kind) =>
      corpus(kind).map((payload) => findProblems(kind, payload).length === 0),
    );
    expect(verdicts.length).toBeGreaterThan(10_000);
    expect(verdicts.filter((valid) => valid).length).toBeGreaterThan(1_000);
    expect(verdicts.filter((valid) => !valid).length).toBeGreaterThan(5_000);
  });

  it("identifies each schema for editors", () => {
    expect(payloadSchema("policy")).toMatchObject({
      $schema: "http://json-schema.org/draft-07/schema#",
      $id: "https://cdktf-immuta.dev/schemas/policy.json",
    });
  });
});

/**
 * Valid payloads (the seed and the documented examples of every handler, masking type and rule
 * type), and each mutated in ways the schema must notice (or not): every value replaced, an
 * unknown field beside it, and the `$unchecked` mark beside it, alone or with the value replaced
 * (honoured in a connection or a rule's config, an unknown field anywhere else).
 */
function corpus(kind: Kind): unknown[] {
  const valid = [
    minimal[kind],
    ...seedPayloads(kind).map((p) => p.payload),
    ...documentedPayloads(kind).map((p) => p.payload),
  ];
  const mutants: unknown[] = [];
  for (const payload of valid) {
    for (const [path, value] of leaves(payload)) {
      const beside = (field: string) => [...path.slice(0, -1), field];
      for (const replacement of [null, 42, "text", true, [], {}, { $env: "X" }, "", undefined]) {
        if (replacement === value) continue;
        mutants.push(setAt(copy(payload), path, replacement));
        mutants.push(setAt(setAt(copy(payload), path, replacement), beside("$unchecked"), true));
      }
      mutants.push(setAt(copy(payload), beside("unknownField"), 1));
      mutants.push(setAt(copy(payload), beside("$unchecked"), true));
      mutants.push(setAt(copy(payload), beside("$unchecked"), false));
    }
  }
  return [...valid, ...mutants, 7, [], "x", null];
}

function leaves(value: unknown, path: (string | number)[] = []): [(string | number)[], unknown][] {
  const out: [(string | number)[], unknown][] = path.length > 0 ? [[path, value]] : [];
  if (value !== null && typeof value === "object") {
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value);
    for (const [k, v] of entries) out.push(...leaves(v, [...path, k]));
  }
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  let target = root as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1))
    target = target[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === undefined && !Array.isArray(target)) delete target[last];
  else target[last] = value;
  return root;
}
