import { fromConfiguration, unknownPaths } from "../../src/review/terraform-values";

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
