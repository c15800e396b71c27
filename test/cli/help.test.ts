/** Every command documents its flags and exit codes in --help. */
import { cli } from "./harness";

const FLAGS: Record<string, string[]> = {
  apply: [
    "--kind",
    "--file",
    "--payload-env",
    "--key",
    "--dry-run",
    "--wait",
    "--re-certify",
    "--re-acknowledge-required",
    "--delete-data-sources-on-workspace-delete",
    "--json",
    "--verbose",
  ],
  delete: ["--kind", "--key", "--dry-run", "--json", "--verbose"],
  get: ["--kind", "--key", "--verbose"],
  list: ["--kind", "--verbose"],
};
const CONNECTION = [
  "--url",
  "--api-key-env",
  "--auth-header",
  "--timeout",
  "--retries",
  "--retry-delay",
];

describe("--help", () => {
  it.each(Object.keys(FLAGS).map((name) => [name]))(
    "documents %s's flags, the connection settings and the exit codes",
    async (name) => {
      for (const flag of ["--help", "-h"]) {
        const result = await cli([name, flag]);
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(new RegExp(`^Usage: immuta-v2 ${name} `));
        for (const documented of [...FLAGS[name], ...CONNECTION]) {
          expect(result.stdout).toContain(documented);
        }
        expect(result.stdout).toMatch(
          /Exit codes:\n {2}0 .*\n(.*\n)* {2}1 .*\n(.*\n)* {2}2 +usage error/,
        );
      }
    },
  );

  it("lists the commands in the top-level help", async () => {
    const result = await cli(["--help"]);
    for (const name of Object.keys(FLAGS))
      expect(result.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
  });
});
