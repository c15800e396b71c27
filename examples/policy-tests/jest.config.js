/**
 * The jest configuration a project with access tests needs: TypeScript through ts-jest, and the
 * access matchers (toSee, toSubscribe, toFilterRows) registered before every test file.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": "ts-jest" },
  setupFilesAfterEnv: ["cdktf-immuta/testing/setup"],
};
