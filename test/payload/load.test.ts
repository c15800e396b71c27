import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PayloadFileError, PayloadSyntaxError } from "../../src/errors";
import { loadPayloadFile, loadPayloadText, parseYaml } from "../../src/payload";
import { ParseLimitError } from "../../src/payload/parse";

function syntaxError(text: string, source: string): PayloadSyntaxError {
  try {
    loadPayloadText(text, source);
  } catch (error) {
    if (error instanceof PayloadSyntaxError) return error;
    throw error;
  }
  throw new Error("expected a syntax error");
}

describe("loading payload files", () => {
  it("loads YAML with comments and several documents, each with its kind and line", () => {
    const text = [
      "# governance for the fraud team",
      "name: Research # a purpose",
      "---",
      "projectKey: fraud",
      "name: Fraud",
      "purposes: [Research]",
      "---",
      "# nothing but a comment",
      "---",
      "policyKey: p",
      "name: P",
      "type: subscription",
      "actions: { type: anyone }",
      "---",
      "connectionKey: dwh",
      "connection: { handler: Snowflake }",
    ].join("\n");
    const loaded = loadPayloadText(text, "governance.yaml");
    expect(loaded.map((l) => [l.kind, l.line])).toEqual([
      ["purpose", 2],
      ["project", 4],
      ["policy", 10],
      ["data", 15],
    ]);
    expect(loaded[1].payload).toEqual({
      projectKey: "fraud",
      name: "Fraud",
      purposes: ["Research"],
    });
  });

  it("loads JSON, and .yml files from disk", () => {
    const dir = mkdtempSync(join(tmpdir(), "payloads-"));
    try {
      writeFileSync(join(dir, "p.json"), '{ "name": "Research" }');
      writeFileSync(join(dir, "p.yml"), "name: Marketing\n");
      expect(loadPayloadFile(join(dir, "p.json"))[0].payload).toEqual({ name: "Research" });
      expect(loadPayloadFile(join(dir, "p.yml"))[0].payload).toEqual({ name: "Marketing" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a YAML syntax error with file, line and column", () => {
    const error = syntaxError("name: Research\ndescription: [unclosed\n", "purposes.yaml");
    expect(error.message).toMatch(/^purposes\.yaml:\d+:\d+: /);
    expect(error.line).toBeGreaterThanOrEqual(2);
  });

  it("reports a JSON syntax error with file, line and column", () => {
    const error = syntaxError('{\n  "name": "Research",\n  "description": }\n', "p.json");
    expect(error.message).toBe('p.json:3:18: invalid JSON: expected a JSON value, found "}"');
  });

  it("rejects duplicate keys rather than keeping one silently", () => {
    expect(syntaxError("name: A\nname: B\n", "p.yaml").message).toBe(
      "p.yaml:2:1: Map keys must be unique",
    );
  });

  it("rejects custom tags", () => {
    const error = syntaxError("name: !!js/function 'return 1'\n", "p.yaml");
    expect(error.message).toContain("no custom tags");
  });

  it("rejects an alias bomb instead of expanding it", () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [name, prev] of [
      ["b", "a"],
      ["c", "b"],
      ["d", "c"],
      ["e", "d"],
      ["f", "e"],
      ["g", "f"],
      ["h", "g"],
      ["i", "h"],
    ]) {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    const started = process.hrtime.bigint();
    const error = syntaxError(lines.join("\n"), "bomb.yaml");
    expect(error.message).toContain("bomb.yaml:1:1: Excessive alias count");
    expect(error.message).toContain("aliases expand too far");
    // Rejected, not expanded: nine levels of nine would be 387 million strings.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(5000);
  });

  it("rejects duplicate JSON keys, with line and column, as YAML does", () => {
    expect(syntaxError('{\n  "name": "A",\n  "name": "B"\n}', "p.json").message).toBe(
      'p.json:3:3: invalid JSON: duplicate key "name" (first at line 2, column 3); an object may name each key once',
    );
  });

  it("rejects a document its aliases expand past 10 MiB, however few the aliases", () => {
    // One 200 KB string used 60 times: 60 aliases, under the alias count, 12 MB written out.
    const text = `name: x\nd: &s "${"w".repeat(200_000)}"\ndescription: [${Array(60).fill("*s").join(",")}]\n`;
    const error = syntaxError(text, "wide.yaml");
    expect(error).toBeInstanceOf(ParseLimitError);
    expect(error.message).toBe(
      "wide.yaml:1:1: its aliases expand it to more than 10485760 bytes; write the values out, or split the document",
    );
  });

  it("ends a parse past a token budget, when given one", () => {
    const text = `[${"a,".repeat(1000)}a]`;
    expect(parseYaml(text, "ok.yaml", { maxTokens: 10_000 })[0].value).toHaveLength(1001);
    expect(() => parseYaml(text, "big.yaml", { maxTokens: 1000 })).toThrow(
      new ParseLimitError(
        "big.yaml",
        1,
        667, // where the 1,001st token starts: each item is 3 tokens ("a", ",", and a marker)
        "more than 1000 YAML tokens: too large to parse as YAML; send it as JSON",
      ),
    );
  });

  it("allows a few ordinary aliases", () => {
    const [loaded] = loadPayloadText("name: R\nx: &d Shared text\ndescription: *d\n", "p.yaml");
    expect(loaded.payload).toMatchObject({ description: "Shared text" });
  });

  it("names a payload whose kind cannot be told", () => {
    expect(() => loadPayloadText("description: orphan\n", "x.yaml")).toThrow(
      new PayloadFileError(
        "x.yaml:1: cannot tell the kind of this payload: it needs connectionKey (data source), policyKey (policy), projectKey (project) or name (purpose)",
      ),
    );
  });

  it("refuses files of other types", () => {
    expect(() => loadPayloadText("name: x", "notes.txt")).toThrow(/not a payload file/);
  });
});
