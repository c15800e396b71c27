/**
 * Registering the matchers with jest (`registerAccessMatchers()`, or the `cdktf-immuta/testing/setup`
 * file in `setupFilesAfterEnv`) and their types, merged into jest's `Matchers` so that
 * `expect(access).toSee(...)` type-checks wherever `cdktf-immuta/testing` is imported.
 */
import {
  toFilterRows,
  toSee,
  toSubscribe,
  type FilterExpectation,
  type SeeExpectation,
  type SubscribeExpectation,
} from "./matchers";

/** The matchers, for `expect.extend(accessMatchers)`. */
export const accessMatchers = { toSee, toSubscribe, toFilterRows };

interface Extendable {
  extend(matchers: Record<string, unknown>): void;
}

/**
 * Adds the matchers to jest's `expect` (the global one unless given: pass `expect` from
 * `@jest/globals` when globals are off).
 */
export function registerAccessMatchers(
  expect: Extendable | undefined = (globalThis as { expect?: Extendable }).expect,
): void {
  if (!expect || typeof expect.extend !== "function") {
    throw new Error(
      "registerAccessMatchers: no jest expect to extend; call it from a jest setup file " +
        '(setupFilesAfterEnv: ["cdktf-immuta/testing/setup"]), or pass expect from @jest/globals',
    );
  }
  expect.extend(accessMatchers);
}

/**
 * The access matchers' types. With `@jest/globals` (no global `expect`), merge them yourself:
 * `declare module "expect" { interface Matchers<R> extends AccessMatchers<R> {} }`.
 */
export interface AccessMatchers<R> {
  /**
   * The user can query the data source; with `column`, sees the column (`as`: clear, masked, or
   * hidden; `masking`: the masking type).
   */
  toSee(dataSource: string, expected?: SeeExpectation): R;
  /** The user may subscribe to the data source (`level`: how; `via`: through which policy). */
  toSubscribe(dataSource: string, expected?: SubscribeExpectation): R;
  /** A row-level rule filters the data source's rows for the user (`by`: which kind). */
  toFilterRows(dataSource: string, expected?: FilterExpectation): R;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- jest's matchers live in this namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> extends AccessMatchers<R> {}
  }
}
