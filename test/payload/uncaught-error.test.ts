/**
 * A construct's error ends `cdktf synth` uncaught, and Node prints it: the message, once, without
 * the fields a program reads (which Node would print after it when enumerable).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO } from "../e2e/terraform";

function printedBy(thrown: string): string {
  const errors = JSON.stringify(join(REPO, "lib", "src", "errors.js"));
  const run = spawnSync(
    process.execPath,
    ["-e", `const e = require(${errors}); throw ${thrown};`],
    {
      encoding: "utf8",
    },
  );
  expect(run.status).toBe(1);
  return run.stderr;
}

test("a ValidationError prints its problems once, and no field", () => {
  const printed = printedBy(
    // (The path is put together so that Node's echo of the throwing line does not name it.)
    'new e.ValidationError("governance/dwh", [{ path: ["ware", "hous"].join(""), message: "unknown field" }])',
  );
  expect(printed).toContain(
    "ValidationError: governance/dwh: 1 problem\n  warehous: unknown field",
  );
  expect(printed.match(/warehous/g)).toHaveLength(1);
  expect(printed).not.toMatch(/code:|problems:|subject:/);
});

test("a PayloadSyntaxError and a SynthError print as their message; their fields stay readable", () => {
  expect(printedBy('new e.PayloadSyntaxError("p.yaml", 3, 7, "bad indentation")')).not.toMatch(
    /line:|column:|reason:|source:|code:/,
  );
  expect(printedBy('new e.SynthError("no tenant")')).not.toContain("code:");
  const { PayloadSyntaxError } = require(join(REPO, "lib", "src", "errors.js"));
  const error = new PayloadSyntaxError("p.yaml", 3, 7, "bad indentation");
  expect([error.code, error.source, error.line, error.column, error.reason]).toEqual([
    "SYNTAX",
    "p.yaml",
    3,
    7,
    "bad indentation",
  ]);
});
