/**
 * The embedded server's validation: the client removed every `$unchecked` mark, so what our
 * schemas do not know inside a connection or a rule's config is let through; what they know is
 * still type-checked, and the rest of the payload is as strict as at synth.
 */
import { formatProblem } from "../../src/errors";
import { findProblems, type Kind } from "../../src/payload";
import { MASK_PII, SNOWFLAKE, minimal } from "./fixtures";

function atServer(kind: Kind, payload: unknown): string[] {
  return findProblems(kind, payload, { mode: "server" }).map(formatProblem);
}

function policyWith(config: unknown) {
  return { ...MASK_PII, actions: [{ rules: [{ type: "Masking", config }] }] };
}

describe("validation at the server", () => {
  it("lets a connection's unknown handler, fields and values through, and missing fields", () => {
    const newer = { handler: "Oracle", hostname: "db", database: "SALES", serviceName: "ORCL" };
    const snowflake = {
      handler: "Snowflake",
      hostname: "h",
      database: "D",
      authenticationMethod: "externalOAuth",
      newField: 1,
    };
    for (const connection of [newer, snowflake]) {
      const payload = { connectionKey: "k", connection };
      expect(atServer("data", payload)).toEqual([]);
      // At synth each is an error: only the mark, which the client removes, lets it through.
      expect(findProblems("data", payload).length).toBeGreaterThan(0);
    }
  });

  it("lets a rule config's unknown fields and masking types through", () => {
    const config = {
      fields: [{ type: "columnNames", names: ["ssn"] }],
      maskingConfig: { type: "Regex", regex: "\\d" },
    };
    expect(atServer("policy", policyWith(config))).toEqual([]);
    expect(atServer("policy", policyWith({}))).toEqual([]);
  });

  it("still type-checks what the schemas know, of every handler and rule type", () => {
    const connection = { ...SNOWFLAKE, port: "443", ssl: "yes", password: 5 };
    expect(atServer("data", { ...minimal.data, connection })).toEqual([
      "connection.password: must be a string, or a secret placeholder { $env: NAME } (got a number (value redacted))",
      'connection.port: must be a whole number (got "443")',
      'connection.ssl: must be true or false (got "yes")',
    ]);
    expect(
      atServer("data", { connectionKey: "k", connection: { handler: "Oracle", port: 0 } }),
    ).toEqual(["connection.port: must be at least 1 (got number 0)"]);
    expect(atServer("policy", policyWith({ fields: "PII", maskingConfig: { type: 1 } }))).toEqual([
      'actions[0].rules[0].config.fields: must be a list (got "PII")',
      "actions[0].rules[0].config.maskingConfig.type: must be a string (got number 1)",
    ]);
  });

  it("still needs a connection's handler, and a rule's config", () => {
    expect(atServer("data", { connectionKey: "k", connection: { hostname: "h" } })).toEqual([
      "connection.handler: required",
    ]);
    expect(atServer("data", { connectionKey: "k", connection: { handler: "" } })).toEqual([
      "connection.handler: must not be empty",
    ]);
    expect(
      atServer("policy", { ...MASK_PII, actions: [{ rules: [{ type: "Masking" }] }] }),
    ).toEqual(["actions[0].rules[0].config: required"]);
  });

  it("is as strict as synth everywhere else", () => {
    expect(
      atServer("data", { ...minimal.data, colour: "blue", options: { hardDelet: true } }),
    ).toEqual([
      "colour: unknown field (allowed here: connectionKey, connection, nameTemplate, options, owners, sources)",
      'options.hardDelet: unknown field; did you mean "hardDelete"? (allowed here: staleDataTolerance, disableSensitiveDataDiscovery, domainCollectionId, hardDelete, tableTags)',
    ]);
    expect(
      atServer("policy", { ...MASK_PII, actions: [{ rules: [{ type: "Mask", config: {} }] }] }),
    ).toEqual([
      'actions[0].rules[0].type: must be one of "Masking", "Minimization", "Purpose Restriction", "Time Restriction", "Row Restriction By User Entitlements", "Row Restriction by Custom Where Clause" (got "Mask"); did you mean "Masking"?',
    ]);
  });

  it("refuses the client's mark: the client must have removed it", () => {
    const data = { connectionKey: "k", connection: { handler: "Oracle", $unchecked: true } };
    expect(atServer("data", data)).toEqual([
      "connection.$unchecked: is the client's mark for its own validation; the client removes it before sending, and Immuta must never receive it",
    ]);
    const policy = {
      ...MASK_PII,
      actions: [
        {
          rules: [MASK_PII.actions[0].rules[0], { type: "Masking", config: { $unchecked: true } }],
        },
      ],
    };
    expect(atServer("policy", policy)).toEqual([
      "actions[0].rules[1].config.$unchecked: is the client's mark for its own validation; the client removes it before sending, and Immuta must never receive it",
    ]);
  });
});
