import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { argv } from "../../providers/steps";
import { fromConfiguration, unknownPaths } from "../../src/review/terraform-values";
import { terraformBinary, terraformEnv } from "../e2e/terraform";

describe("reading payloads back from Terraform JSON", () => {
  it("unescapes literal ${ and %{ as Terraform would, in keys and values", () => {
    expect(fromConfiguration({ "a$${b}": "x $${y} %%{ z } $$${w}" })).toEqual({
      payload: { "a${b}": "x ${y} %{ z } $${w}" },
      unknown: [],
    });
  });

  it("reports strings holding an expression as known only after apply, by field path", () => {
    const read = fromConfiguration({
      connection: { hostname: "${terraform_data.db.output.address}", port: 443 },
      sources: [{ table: "t", schema: "pre-${var.x}" }],
    });
    expect(read.unknown).toEqual(["connection.hostname", "sources[0].schema"]);
  });

  it("lists the paths a plan flags as unknown", () => {
    expect(
      unknownPaths({ connection: { hostname: true, port: false }, tags: [false, true] }),
    ).toEqual(["connection.hostname", "tags[1]"]);
    expect(unknownPaths(true)).toEqual(["(payload)"]);
  });
});

describe("argv in one Terraform expression", () => {
  const awkward = [
    "node",
    'a "quoted" arg',
    "back\\slash",
    "new\nline\ttab",
    "${not.a.ref}",
    "%{ if x }",
    "bell\u0007",
  ];

  it("is read by Terraform as the same list of strings", () => {
    // What Terraform evaluates: the expression inside the template's `${ }`.
    const expression = (argv(awkward) as unknown as string).slice(2, -1);
    const cwd = mkdtempSync(join(tmpdir(), "argv-"));
    const result = spawnSync(terraformBinary({}), ["console"], {
      cwd,
      env: terraformEnv(),
      input: `jsonencode(${expression})\n`,
      encoding: "utf8",
    });
    rmSync(cwd, { recursive: true, force: true });
    expect(result.stderr).toBe("");
    expect(JSON.parse(JSON.parse(result.stdout.trim()))).toEqual(awkward);
  });
});
