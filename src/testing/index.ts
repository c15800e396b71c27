/**
 * `cdktf-immuta/testing`: access tests on a stack, before deploy, with no server. Kept apart from
 * the main entry, which must not load anything of jest's.
 *
 *   const access = simulateAccess(stack, { groups: ["Analysts"] }, { catalog: "catalog.yaml" });
 *   expect(access).toSee("public.customers", { column: "email", as: "masked", masking: "Hash" });
 *   expect(access).not.toSubscribe("hr.salaries");
 */
export {
  simulateAccess,
  compileStack,
  type AccessSource,
  type AccessTestOptions,
} from "./simulate";
export { AccessSimulation, CompiledStack, type Persona, type StackOptions } from "./simulation";
export type { UnsimulatedObject } from "./stack-objects";
export { loadCatalogFile } from "./catalog-file";
export { accessMatchers, registerAccessMatchers, type AccessMatchers } from "./register";
export {
  ROW_FILTER_TYPES,
  type SeeExpectation,
  type SubscribeExpectation,
  type FilterExpectation,
  type RowFilterKind,
} from "./matchers";
export type * from "../access/types";
