/** A data-policy rule's `config`: checked per rule type. */
import { formatProblem } from "../../src/errors";
import { DATA_RULE_TYPES, findProblems, type DataRuleType } from "../../src/payload";
import { copy, documentedPayloads, seedPayloads } from "./fixtures";

type Fields = Record<string, unknown>;

/** The problems of a one-rule data policy. */
function problems(type: string, config: unknown): string[] {
  const policy = {
    policyKey: "p",
    name: "P",
    type: "data",
    actions: [{ rules: [{ type, config }] }],
  };
  return findProblems("policy", policy).map(formatProblem);
}

const AT = "actions[0].rules[0].config";

/** The first documented config of each rule type. */
const examples = new Map<string, Fields>();
for (const loaded of [...documentedPayloads("policy"), ...seedPayloads("policy")]) {
  const policy = loaded.payload as { actions: unknown };
  if (!Array.isArray(policy.actions)) continue;
  for (const action of policy.actions as { rules: { type: string; config: Fields }[] }[]) {
    for (const rule of action.rules)
      if (!examples.has(rule.type)) examples.set(rule.type, rule.config);
  }
}

function example(type: string): Fields {
  return copy(examples.get(type)!);
}

/** What each rule type's config requires (src/payload/schema/rule-config.ts marks ours [ours]). */
const REQUIRED: Record<DataRuleType, string[]> = {
  Masking: ["fields", "maskingConfig"],
  Minimization: ["percent"],
  "Time Restriction": ["time", "unit"],
  "Purpose Restriction": ["purposes"],
  "Row Restriction By User Entitlements": ["matches"],
  "Row Restriction by Custom Where Clause": ["predicate"],
};

describe("each rule type's documented config", () => {
  it("covers every rule type", () => {
    expect([...examples.keys()].sort()).toEqual([...DATA_RULE_TYPES].sort());
  });

  it.each([...DATA_RULE_TYPES])("%s validates", (type) => {
    expect(problems(type, example(type))).toEqual([]);
  });

  it.each([...DATA_RULE_TYPES])("%s: each required field is required, and only those", (type) => {
    const config = example(type);
    for (const field of Object.keys(config)) {
      const without = { ...config };
      delete without[field];
      expect({ field, problems: problems(type, without) }).toEqual({
        field,
        problems: REQUIRED[type].includes(field) ? [`${AT}.${field}: required`] : [],
      });
    }
  });

  it.each([...DATA_RULE_TYPES])("%s: a misspelt field is reported with what was meant", (type) => {
    const config = example(type);
    for (const field of Object.keys(config)) {
      const typo = field.replace(/[aeiou](?=[^aeiou]*$)/, "");
      const misspelt: Fields = {};
      for (const [name, value] of Object.entries(config))
        misspelt[name === field ? typo : name] = value;
      const [first, ...rest] = problems(type, misspelt);
      expect(first).toMatch(
        new RegExp(
          `^${AT.replace(/[[\].]/g, "\\$&")}\\.${typo}: unknown field; did you mean "${field}"\\? \\(allowed here: .*\\) — if Immuta accepts it, mark the rule's config unchecked$`,
        ),
      );
      expect(rest).toEqual(REQUIRED[type].includes(field) ? [`${AT}.${field}: required`] : []);
    }
  });

  it("is checked by the rule's own type: a masking config is no minimization config", () => {
    expect(problems("Minimization", example("Masking"))).toEqual([
      `${AT}.fields: unknown field (allowed here: percent) — if Immuta accepts it, mark the rule's config unchecked`,
      `${AT}.maskingConfig: unknown field (allowed here: percent) — if Immuta accepts it, mark the rule's config unchecked`,
      `${AT}.percent: required`,
    ]);
  });
});

describe("masking", () => {
  const mask = (changes: Fields) => problems("Masking", { ...example("Masking"), ...changes });

  it.each([
    ["Hashh", "Hash"],
    ["hash", "Hash"],
    ["NULL", "Null"],
    ["Const", "Constant"],
    ["Format Preserving", "Format Preserving Masking"],
  ])("masking type %j: did you mean %j?", (given, meant) => {
    expect(mask({ maskingConfig: { type: given } })).toEqual([
      `${AT}.maskingConfig.type: must be one of "Hash", "Null", "Constant", "Format Preserving Masking" (got ${JSON.stringify(given)}); did you mean ${JSON.stringify(meant)}? — if Immuta accepts it, mark the rule's config unchecked`,
    ]);
  });

  it("a constant needs its value, and other types take no parameters", () => {
    expect(mask({ maskingConfig: { type: "Constant" } })).toEqual([
      `${AT}.maskingConfig.constant: required`,
    ]);
    expect(mask({ maskingConfig: { type: "Hash", constant: "X" } })).toEqual([
      `${AT}.maskingConfig.constant: unknown field (allowed here: type) — if Immuta accepts it, mark the rule's config unchecked`,
    ]);
  });

  it("the masked columns are given by tag, or as the columns with no tags", () => {
    expect(mask({ fields: [{ type: "columnTags", colTag: "PII" }] })).toEqual([
      `${AT}.fields[0].colTag: unknown field; did you mean "columnTag"? (allowed here: type, columnTag) — if Immuta accepts it, mark the rule's config unchecked`,
      `${AT}.fields[0].columnTag: required`,
    ]);
    expect(mask({ fields: [{ type: "columnTag", columnTag: "PII" }] })).toEqual([
      `${AT}.fields[0].type: must be one of "columnTags", "noTags" (got "columnTag"); did you mean "columnTags"? — if Immuta accepts it, mark the rule's config unchecked`,
    ]);
    expect(mask({ fields: [] })).toEqual([`${AT}.fields: must list at least 1 item`]);
  });

  it("a conditional predicate is text", () => {
    expect(mask({ conditionalPredicate: 1 })).toEqual([
      `${AT}.conditionalPredicate: must be a string, or a secret placeholder { $env: NAME } (got number 1)`,
    ]);
  });
});

describe("the other rule types", () => {
  it("minimization shows a percentage of the rows", () => {
    expect(problems("Minimization", { percent: "25%" })).toEqual([
      `${AT}.percent: must be a number (got "25%")`,
    ]);
    expect(problems("Minimization", { percent: 150 })).toEqual([
      `${AT}.percent: must be at most 100 (got number 150)`,
    ]);
  });

  it("a time restriction counts whole units of time", () => {
    expect(problems("Time Restriction", { time: 5, unit: "year" })).toEqual([
      `${AT}.unit: must be one of "minutes", "hours", "days", "years" (got "year"); did you mean "years"? — if Immuta accepts it, mark the rule's config unchecked`,
    ]);
    expect(problems("Time Restriction", { time: 1.5, unit: "days" })).toEqual([
      `${AT}.time: must be a whole number (got number 1.5)`,
    ]);
  });

  it("a purpose restriction names at least one purpose", () => {
    expect(problems("Purpose Restriction", { purposes: [] })).toEqual([
      `${AT}.purposes: must list at least 1 item`,
    ]);
  });

  it("a row restriction by entitlements matches a group, an attribute or a purpose", () => {
    expect(
      problems("Row Restriction By User Entitlements", {
        matches: [
          { type: "attributes", columnTag: "Country" },
          { type: "attribute", columnTag: "C" },
        ],
      }),
    ).toEqual([
      `${AT}.matches[0].type: must be one of "group", "attribute", "purpose" (got "attributes"); did you mean "attribute"? — if Immuta accepts it, mark the rule's config unchecked`,
      `${AT}.matches[1].attribute: required`,
    ]);
  });

  it("a where clause is a predicate", () => {
    expect(problems("Row Restriction by Custom Where Clause", { where: "x = 1" })).toEqual([
      `${AT}.where: unknown field (allowed here: predicate) — if Immuta accepts it, mark the rule's config unchecked`,
      `${AT}.predicate: required`,
    ]);
  });

  it("a config is an object", () => {
    expect(problems("Masking", "Hash")).toEqual([`${AT}: must be an object (got "Hash")`]);
  });
});
