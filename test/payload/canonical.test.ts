import { canonicalJson, parseYaml } from "../../src/payload";

describe("canonicalJson", () => {
  it("gives the same bytes for the same state whatever the key order", () => {
    const a = { name: "P", policyKey: "p", actions: { type: "anyone", allowDiscovery: true } };
    const b = { actions: { allowDiscovery: true, type: "anyone" }, policyKey: "p", name: "P" };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe(
      '{"actions":{"allowDiscovery":true,"type":"anyone"},"name":"P","policyKey":"p"}',
    );
  });

  it("gives the same bytes for reordered YAML with other whitespace and comments", () => {
    const [first] = parseYaml(
      "name: Research\ndescription: d   # why\nsubpurposes: [{name: R.A}]\n",
      "a.yaml",
    );
    const [second] = parseYaml(
      "subpurposes:\n  - name: R.A\ndescription: 'd'\n\nname: Research\n",
      "b.yaml",
    );
    expect(canonicalJson(first.value)).toBe(canonicalJson(second.value));
  });

  it("keeps the order of lists, which can matter", () => {
    expect(canonicalJson({ tags: ["b", "a"] })).toBe('{"tags":["b","a"]}');
  });

  it("drops undefined fields and sorts non-ASCII keys by code point", () => {
    expect(canonicalJson({ b: undefined, a: 1 })).toBe('{"a":1}');
    // U+FF5E sorts before U+1F600 by code point (and UTF-8 bytes), though not by UTF-16 units.
    expect(canonicalJson({ "\u{1F600}": 1, "\uFF5E": 2 })).toBe('{"\uFF5E":2,"\u{1F600}":1}');
  });
});
