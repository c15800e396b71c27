/** The escape from validation: one connection or rule config at a time, never sent to Immuta. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readPayload } from "../../src/cli/payload-input";
import { formatProblem } from "../../src/errors";
import { findProblems, validatePayload, withoutMarkers, type Kind } from "../../src/payload";
import { unchecked } from "../../src";
import { MASK_PII, SNOWFLAKE, minimal } from "./fixtures";

function problems(kind: Kind, payload: unknown): string[] {
  return findProblems(kind, payload).map(formatProblem);
}

/** A connection our schemas do not know. */
const ORACLE = {
  handler: "Oracle",
  hostname: "db.example",
  database: "SALES",
  serviceName: "ORCL",
};

/** A data policy whose rules have these configs (masking rules). */
function policyWith(...configs: unknown[]) {
  return {
    ...MASK_PII,
    actions: [{ rules: configs.map((config) => ({ type: "Masking", config })) }],
  };
}

describe("unchecked()", () => {
  it("marks a copy of the object, leaving the object itself as it was", () => {
    const marked = unchecked(ORACLE);
    expect(marked).toEqual({ ...ORACLE, $unchecked: true });
    expect(ORACLE).not.toHaveProperty("$unchecked");
  });
});

describe("an unchecked connection", () => {
  it("is not checked: any handler, any field", () => {
    const payload = { connectionKey: "k", connection: unchecked(ORACLE) };
    expect(problems("data", payload)).toEqual([]);
    // The same connection unmarked is reported.
    expect(problems("data", { connectionKey: "k", connection: ORACLE })).toHaveLength(1);
  });

  it("still names its handler", () => {
    const { handler: _, ...anonymous } = ORACLE;
    expect(problems("data", { connectionKey: "k", connection: unchecked(anonymous) })).toEqual([
      "connection.handler: required",
    ]);
    expect(
      problems("data", {
        connectionKey: "k",
        connection: { ...ORACLE, handler: 1, $unchecked: true },
      }),
    ).toEqual(["connection.handler: must be a string (got number 1)"]);
  });

  it("leaves the rest of the payload checked", () => {
    const payload = { connectionKey: "k", connection: unchecked(ORACLE), sourcez: [] };
    expect(problems("data", payload)).toEqual([
      'sourcez: unknown field; did you mean "sources"? (allowed here: connectionKey, connection, nameTemplate, options, owners, sources)',
    ]);
  });

  it("is marked true, or it is checked", () => {
    const payload = {
      connectionKey: "k",
      connection: { ...SNOWFLAKE, $unchecked: false, warehous: "W" },
    };
    expect(problems("data", payload)).toEqual([
      'connection.warehous: unknown field; did you mean "warehouse"? (allowed here: handler, ssl, hostname, port, database, schema, connectionStringOptions, warehouse, authenticationMethod, username, password, useCertificate, clientId, clientSecret, audience, scope, userFiles) — if Immuta accepts it, mark the connection unchecked',
    ]);
    expect(
      problems("data", { ...minimal.data, connection: { ...SNOWFLAKE, $unchecked: "yes" } }),
    ).toEqual(['connection.$unchecked: must be true or false (got "yes")']);
  });
});

describe("an unchecked rule config", () => {
  it("exempts that rule only: the next rule's typo is still reported", () => {
    const policy = policyWith(
      unchecked({
        fields: [{ type: "columnNames", names: ["ssn"] }],
        maskingConfig: { type: "Regex" },
      }),
      { fields: [{ type: "noTags" }], maskingConfig: { type: "Hashh" } },
    );
    expect(problems("policy", policy)).toEqual([
      'actions[0].rules[1].config.maskingConfig.type: must be one of "Hash", "Null", "Constant", "Format Preserving Masking" (got "Hashh"); did you mean "Hash"? — if Immuta accepts it, mark the rule\'s config unchecked',
    ]);
  });

  it("is still an object", () => {
    expect(problems("policy", policyWith([]))).toEqual([
      "actions[0].rules[0].config: must be an object (got a list)",
    ]);
  });
});

describe("the marker anywhere else", () => {
  it("is an unknown field: only a connection and a rule's config can be unchecked", () => {
    expect(
      problems("data", { ...minimal.data, options: { $unchecked: true, hardDelete: "no" } }),
    ).toEqual([
      "options.$unchecked: unknown field (allowed here: staleDataTolerance, disableSensitiveDataDiscovery, domainCollectionId, hardDelete, tableTags)",
      'options.hardDelete: must be true or false (got "no")',
    ]);
    expect(problems("purpose", { name: "Research", $unchecked: true })).toEqual([
      "$unchecked: unknown field (allowed here: name, description, acknowledgement, kAnonNoiseReduction, subpurposes)",
    ]);
    const config = {
      fields: [{ type: "noTags", $unchecked: true }],
      maskingConfig: { type: "Hash" },
    };
    expect(problems("policy", policyWith(config))).toEqual([
      "actions[0].rules[0].config.fields[0].$unchecked: unknown field (allowed here: type) — if Immuta accepts it, mark the rule's config unchecked",
    ]);
  });
});

describe("the marker never reaches Immuta", () => {
  it("validatePayload returns the payload without it", () => {
    const data = validatePayload(
      "data",
      { connectionKey: "k", connection: unchecked(ORACLE) },
      "t",
    );
    expect(data).toEqual({ connectionKey: "k", connection: ORACLE });
    const policy = validatePayload("policy", policyWith(unchecked({ anything: 1 })), "t");
    expect(policy.type === "data" && policy.actions[0].rules[0].config).toEqual({ anything: 1 });
  });

  it("withoutMarkers removes it at any depth, and returns an object without one as it is", () => {
    const payload = { a: [{ b: { $unchecked: true, c: 1 } }], $unchecked: false, d: { e: 2 } };
    expect(withoutMarkers(payload)).toEqual({ a: [{ b: { c: 1 } }], d: { e: 2 } });
    expect(payload.a[0].b).toHaveProperty("$unchecked", true);
    const clean = { a: [{ b: 1 }] };
    expect(withoutMarkers(clean)).toBe(clean);
  });

  describe("apply reads a payload file without it (and without $schema)", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "unchecked-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const file = {
      $schema: "../schemas/data.json",
      connectionKey: "k",
      connection: { ...ORACLE, $unchecked: true },
    };
    const sent = { connectionKey: "k", connection: ORACLE };

    it.each(["payload.json", "payload.yaml"])("from %s", (name) => {
      writeFileSync(join(dir, name), JSON.stringify(file));
      expect(readPayload({ file: name }, {}, dir).payload).toEqual(sent);
    });

    it("from the environment", () => {
      const env = { PAYLOAD: JSON.stringify(file) };
      expect(readPayload({ "payload-env": "PAYLOAD" }, env, dir).payload).toEqual(sent);
    });
  });
});
