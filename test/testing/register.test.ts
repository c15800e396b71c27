/** Registering the matchers: the setup file users name in jest's config, and the function. */
import { accessMatchers, registerAccessMatchers } from "../../src/testing";

describe("registering the access matchers", () => {
  it("the setup file (setupFilesAfterEnv) adds them to jest's expect", () => {
    const matcherOf = (name: string) => (expect(null) as unknown as Record<string, unknown>)[name];
    expect(matcherOf("toSee")).toBeUndefined();
    require("../../src/testing/setup");
    for (const name of Object.keys(accessMatchers)) expect(typeof matcherOf(name)).toBe("function");
    expect(Object.keys(accessMatchers)).toEqual(["toSee", "toSubscribe", "toFilterRows"]);
  });

  it("refuses without an expect to extend, saying where to call it from", () => {
    const jestExpect = expect;
    const global = globalThis as { expect?: unknown };
    delete global.expect;
    let thrown: unknown;
    try {
      registerAccessMatchers();
    } catch (error) {
      thrown = error;
    } finally {
      global.expect = jestExpect;
    }
    jestExpect(String(thrown)).toContain(
      'no jest expect to extend; call it from a jest setup file (setupFilesAfterEnv: ["cdktf-immuta/testing/setup"]), or pass expect from @jest/globals',
    );
    jestExpect(() => registerAccessMatchers({} as never)).toThrow("no jest expect to extend");
  });
});
