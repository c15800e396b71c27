/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type-checking is `npm run typecheck`'s job; jest only transpiles, which keeps it fast.
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }] },
  // The tests' own temporary directory, checked to be left empty (issue 11: no litter).
  globalSetup: "<rootDir>/test/temp-guard/setup.js",
  globalTeardown: "<rootDir>/test/temp-guard/teardown.js",
};
