/**
 * undici is used through its public entry only, so that any undici 7 fits: an internal module
 * may move in a minor release (test/cli/bundle.test.ts shows the same of the built bundle).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const REPO = join(__dirname, "..", "..");
const CLIENT = join(REPO, "src", "client");

describe("the client's dependency on undici", () => {
  it("names no module inside undici, only the package", () => {
    const specifiers = readdirSync(CLIENT)
      .filter((name) => name.endsWith(".ts"))
      .flatMap((name) =>
        [...readFileSync(join(CLIENT, name), "utf8").matchAll(/["'](undici[^"']*)["']/g)].map(
          ([, specifier]) => `${name}: ${specifier}`,
        ),
      );
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((line) => !line.endsWith(": undici"))).toEqual([]);
  });

  it("accepts any undici 7 from the version tested on", () => {
    const { dependencies } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
    expect(dependencies.undici).toMatch(/^\^7(\.\d+){0,2}$/);
  });
});
