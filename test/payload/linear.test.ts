/**
 * Issue 12, item 4: validation time must grow with the input, not with its square, and a payload
 * with thousands of problems lists the first ones and how many more. (Speed itself is measured by
 * a benchmark, never asserted here: these count work instead.)
 */
import { formatProblem } from "../../src/errors";
import { DEFAULT_PROBLEM_LIMIT, findProblems } from "../../src/payload";

/** A purpose with `count` unknown fields, and how often its field list has been read. */
function purposeWithUnknownFields(count: number) {
  const fields: Record<string, unknown> = { name: "Research" };
  for (let i = 0; i < count; i++) fields[`unknownField${i}`] = `value ${i}`;
  let reads = 0;
  const payload = new Proxy(fields, {
    ownKeys(target) {
      reads++;
      return Reflect.ownKeys(target);
    },
  });
  return { payload, reads: () => reads };
}

describe("validation work", () => {
  it("reads an object's fields a fixed number of times, however many problems it has", () => {
    // Regression: each problem's position was found by listing its object's fields again,
    // so 10,000 unknown fields took 10,000 listings of 10,000 fields (26-42 s).
    const few = purposeWithUnknownFields(10);
    const many = purposeWithUnknownFields(2_000);
    expect(findProblems("purpose", few.payload)).toHaveLength(10);
    findProblems("purpose", many.payload);
    expect(many.reads()).toBe(few.reads());
    expect(few.reads()).toBeLessThanOrEqual(3);
  });
});

describe("many problems", () => {
  it(`lists the first ${DEFAULT_PROBLEM_LIMIT} in the payload's order, then how many more`, () => {
    const { payload } = purposeWithUnknownFields(1_000);
    const problems = findProblems("purpose", payload).map(formatProblem);
    expect(problems).toHaveLength(DEFAULT_PROBLEM_LIMIT + 1);
    expect(problems[0]).toBe(
      "unknownField0: unknown field (allowed here: name, description, acknowledgement, kAnonNoiseReduction, subpurposes)",
    );
    expect(problems[DEFAULT_PROBLEM_LIMIT - 1]).toMatch(/^unknownField99: unknown field/);
    expect(problems[DEFAULT_PROBLEM_LIMIT]).toBe(
      "(payload): and 900 more problems (1000 in all; the first 100 are listed)",
    );
  });

  it("lists as many as asked", () => {
    const { payload } = purposeWithUnknownFields(3);
    expect(findProblems("purpose", payload, { limit: 2 }).map(formatProblem)).toEqual([
      "unknownField0: unknown field (allowed here: name, description, acknowledgement, kAnonNoiseReduction, subpurposes)",
      "unknownField1: unknown field (allowed here: name, description, acknowledgement, kAnonNoiseReduction, subpurposes)",
      "(payload): and 1 more problem (3 in all; the first 2 are listed)",
    ]);
    expect(findProblems("purpose", payload, { limit: 3 })).toHaveLength(3);
  });
});
