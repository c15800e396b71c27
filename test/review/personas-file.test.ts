/** The personas file `plan --personas` reads: named users, every problem at once, by path. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPersonasFile } from "../../src/review/personas-file";

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "personas-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

test("reads named users in the file's order, in YAML or JSON", () => {
  const yaml = file(
    "personas.yaml",
    [
      "personas:",
      "  contractor: { groups: [Contractors], attributes: { country: [US, CA], team: ops } }",
      "  fraud: { groups: [Analysts], project: fraud-analysis, purposes: [Research.Fraud] }",
    ].join("\n"),
  );
  const expected = [
    {
      name: "contractor",
      groups: ["Contractors"],
      attributes: { country: ["US", "CA"], team: "ops" },
    },
    {
      name: "fraud",
      groups: ["Analysts"],
      project: "fraud-analysis",
      purposes: ["Research.Fraud"],
    },
  ];
  expect(loadPersonasFile(yaml)).toEqual(expected);
  // Attributes as Immuta's entitlements spell them, too.
  const listed = file(
    "listed.yaml",
    "personas:\n  auditor: { attributes: [{ name: country, value: NL }] }\n",
  );
  expect(loadPersonasFile(listed)).toEqual([
    { name: "auditor", attributes: [{ name: "country", value: "NL" }] },
  ]);
  const wrong = file("wrong.yaml", "personas:\n  auditor: { attributes: [{ name: country }] }\n");
  expect(() => loadPersonasFile(wrong)).toThrow(
    'personas["auditor"].attributes[0]: must be { name, value }, both non-empty strings',
  );
  const json = file("personas.json", JSON.stringify({ personas: { contractor: expected[0] } }));
  expect(() => loadPersonasFile(json)).toThrow('personas["contractor"].name: unknown field');
});

test("lists every problem of the file at once, each at its path", () => {
  const path = file(
    "personas.yaml",
    [
      "personas:",
      "  analyst: { group: [Analysts] }",
      "  contractor: { groups: Contractors, attributes: { country: 1 }, project: '' }",
      "  nobody: yes",
    ].join("\n"),
  );
  expect(() => loadPersonasFile(path)).toThrow(
    `${path}: not a valid personas file:\n` +
      `  personas["analyst"].group: unknown field (did you mean "groups"?); allowed: groups, attributes, purposes, project\n` +
      `  personas["contractor"].groups: must be a list of non-empty names\n` +
      `  personas["contractor"].project: must be a project's key or name\n` +
      `  personas["contractor"].attributes.country: must be a value or a list of values (strings)\n` +
      `  personas["nobody"]: must be an object: groups, attributes, purposes, project`,
  );
});

test("a file without personas, or of another format, says what it expects", () => {
  expect(() => loadPersonasFile(file("p.yaml", "users: {}"))).toThrow(
    "personas: required: a map of persona names to users; found users",
  );
  expect(() => loadPersonasFile(file("p.yaml", "persona: {}"))).toThrow(
    'personas: required: a map of persona names to users; found persona (did you mean "personas"?)',
  );
  expect(() => loadPersonasFile(file("p.yaml", "personas: {}"))).toThrow(
    "personas: names no persona",
  );
  expect(() => loadPersonasFile(file("p.txt", "personas: {}"))).toThrow(
    "expected a .yaml, .yml or .json file",
  );
});
