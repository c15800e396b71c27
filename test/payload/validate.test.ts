import { ValidationError, formatProblem } from "../../src/errors";
import { KINDS, findProblems, validatePayload, type Kind } from "../../src/payload";
import { MASK_PII, copy, minimal, seedPayloads } from "./fixtures";

function problems(kind: Kind, payload: unknown): string[] {
  return findProblems(kind, payload).map(formatProblem);
}

/** A valid Snowflake connection, to change one field of. */
const connection = minimal.data.connection as Record<string, unknown>;

/** The tests' usual masking policy, with some of its rule's config replaced. */
function maskPii(config: object): object {
  const rule = MASK_PII.actions[0].rules[0];
  return {
    ...MASK_PII,
    actions: [{ rules: [{ ...rule, config: { ...rule.config, ...config } }] }],
  };
}

describe("the documented examples", () => {
  it.each(seedPayloads().map((p) => [`${p.kind} at line ${p.line}`, p] as const))(
    "%s is valid",
    (_, loaded) => {
      expect(problems(loaded.kind, loaded.payload)).toEqual([]);
    },
  );

  it("covers every kind", () => {
    for (const kind of KINDS) expect(seedPayloads(kind).length).toBeGreaterThan(0);
  });
});

describe("required fields", () => {
  const cases: [Kind, string, string][] = [
    ["data", "connectionKey", "connectionKey: required"],
    ["data", "connection", "connection: required"],
    ["policy", "policyKey", "policyKey: required"],
    ["policy", "name", "name: required"],
    ["policy", "type", "type: required"],
    ["policy", "actions", "actions: required"],
    ["project", "projectKey", "projectKey: required"],
    ["project", "name", "name: required"],
    ["purpose", "name", "name: required"],
  ];
  it.each(cases)("%s without %s: %s", (kind, field, expected) => {
    const payload = copy(minimal[kind]);
    delete payload[field];
    expect(problems(kind, payload)).toContain(expected);
  });

  it("names the full path of a nested required field", () => {
    const payload = {
      ...minimal.data,
      sources: [
        { table: "a", schema: "s" },
        { table: "b", schema: "s" },
        { table: "c", schema: "s" },
        { table: "d", schema: "s", tags: { columns: [{ tags: ["PII"] }] } },
      ],
    };
    expect(problems("data", payload)).toEqual(["sources[3].tags.columns[0].columnName: required"]);
  });

  it("requires the handler of a connection and the name of a sub-purpose", () => {
    expect(problems("data", { connectionKey: "k", connection: {} })).toEqual([
      "connection.handler: required",
    ]);
    expect(
      problems("purpose", { name: "A", subpurposes: [{ name: "A.B", subpurposes: [{}] }] }),
    ).toEqual(["subpurposes[0].subpurposes[0].name: required"]);
  });

  it("requires approvals for an approval policy and entitlements for an entitlements one", () => {
    const approval = { ...minimal.policy, actions: { type: "approval" } };
    const entitlements = { ...minimal.policy, actions: { type: "entitlements" } };
    expect(problems("policy", approval)).toEqual(["actions.approvals: required"]);
    expect(problems("policy", entitlements)).toEqual(["actions.entitlements: required"]);
  });
});

describe("enums", () => {
  const cases: [Kind, Record<string, unknown>, string][] = [
    [
      "policy",
      { ...minimal.policy, type: "subscriptions" },
      'type: must be one of "subscription", "data" (got "subscriptions"); did you mean "subscription"?',
    ],
    [
      "policy",
      { ...minimal.policy, circumstanceOperator: "every" },
      'circumstanceOperator: must be one of "all", "any" (got "every")',
    ],
    [
      "policy",
      { ...minimal.policy, actions: { type: "everyone" } },
      'actions.type: must be one of "anyone", "approval", "entitlements", "manual" (got "everyone")',
    ],
    [
      "policy",
      { ...minimal.policy, circumstances: [{ type: "tag", tag: "PII" }] },
      'circumstances[0].type: must be one of "tags", "columnTags", "columnRegex", "noTags" (got "tag"); did you mean "tags"?',
    ],
    [
      "policy",
      { ...minimal.policy, type: "data", actions: [{ rules: [{ type: "Mask", config: {} }] }] },
      'actions[0].rules[0].type: must be one of "Masking", "Minimization", "Purpose Restriction", ' +
        '"Time Restriction", "Row Restriction By User Entitlements", ' +
        '"Row Restriction by Custom Where Clause" (got "Mask"); did you mean "Masking"?',
    ],
    [
      "policy",
      {
        ...minimal.policy,
        actions: { type: "entitlements", entitlements: { operator: "some" } },
      },
      'actions.entitlements.operator: must be one of "any", "all" (got "some")',
    ],
    [
      "policy",
      {
        ...minimal.policy,
        type: "data",
        actions: [
          { rules: [{ ...MASK_PII.actions[0].rules[0], exceptions: { operator: "none" } }] },
        ],
      },
      'actions[0].rules[0].exceptions.operator: must be one of "any", "all" (got "none")',
    ],
    [
      "data",
      { ...minimal.data, owners: [{ type: "team", name: "x" }] },
      'owners[0].type: must be one of "user", "group" (got "team")',
    ],
    [
      "project",
      { ...minimal.project, workspace: { type: "bigquery", config: {} } },
      'workspace.type: must be one of "databricks", "snowflake" (got "bigquery")',
    ],
  ];
  it.each(cases)("%s: %j", (kind, payload, expected) => {
    expect(problems(kind, payload)).toEqual([expected]);
  });
});

describe("unknown fields", () => {
  it.each([
    ["data", { ...minimal.data, sourcez: [] }, 'sourcez: unknown field; did you mean "sources"?'],
    [
      "policy",
      { ...minimal.policy, circumstanceOpertor: "all" },
      'circumstanceOpertor: unknown field; did you mean "circumstanceOperator"?',
    ],
    [
      "project",
      { ...minimal.project, purpose: ["x"] },
      'purpose: unknown field; did you mean "purposes"?',
    ],
    [
      "purpose",
      { ...minimal.purpose, acknowledgment: "x" },
      'acknowledgment: unknown field; did you mean "acknowledgement"?',
    ],
  ] as [Kind, object, string][])(
    "%s: a typo at the top level is an error",
    (kind, payload, start) => {
      const [problem] = problems(kind, payload);
      expect(problem.startsWith(start)).toBe(true);
      expect(problem).toMatch(/\(allowed here: .+\)$/);
    },
  );

  it("is an error in nested objects too", () => {
    const payload = {
      ...minimal.data,
      options: { hardDelete: true, tabletags: ["A"] },
      sources: [{ table: "t", schema: "s", tags: { column: [] } }],
    };
    expect(problems("data", payload)).toEqual([
      'options.tabletags: unknown field; did you mean "tableTags"? (allowed here: staleDataTolerance, disableSensitiveDataDiscovery, domainCollectionId, hardDelete, tableTags)',
      'sources[0].tags.column: unknown field; did you mean "columns"? (allowed here: table, columns)',
    ]);
  });

  it("is an error in the two open objects too, with the way out: marking the object unchecked", () => {
    // GIVEN the typos of issue 14, each in an otherwise valid payload
    const data = { ...minimal.data, connection: { ...connection, warehous: "WH" } };
    const policy = maskPii({ fields: [{ type: "columnTags", colTag: "PII" }] });
    // THEN each is reported where it is, with what was meant and how to send it anyway
    expect(problems("data", data)).toEqual([
      'connection.warehous: unknown field; did you mean "warehouse"? (allowed here: handler, ssl, hostname, port, database, schema, connectionStringOptions, warehouse, authenticationMethod, username, password, useCertificate, clientId, clientSecret, audience, scope, userFiles) — if Immuta accepts it, mark the connection unchecked',
    ]);
    expect(problems("policy", policy)).toEqual([
      'actions[0].rules[0].config.fields[0].colTag: unknown field; did you mean "columnTag"? (allowed here: type, columnTag) — if Immuta accepts it, mark the rule\'s config unchecked',
      "actions[0].rules[0].config.fields[0].columnTag: required",
    ]);
  });

  it("still type-checks the known fields of the connection", () => {
    const payload = { ...minimal.data, connection: { ...connection, port: "443", ssl: "yes" } };
    expect(problems("data", payload)).toEqual([
      'connection.port: must be a whole number (got "443")',
      'connection.ssl: must be true or false (got "yes")',
    ]);
  });
});

describe("values received and allowed", () => {
  it("says what was received, but never the value of a secret field", () => {
    const payload = { ...minimal.data, connection: { ...connection, password: 123456 } };
    const [problem] = problems("data", payload);
    expect(problem).toBe(
      "connection.password: must be a string, or a secret placeholder { $env: NAME } (got a number (value redacted))",
    );
    expect(problem).not.toContain("123456");
  });

  it("reports every problem at once, in the order of the payload's fields", () => {
    const payload = { policyKey: "", name: 5, type: "data", staged: "no", actions: [] };
    expect(problems("policy", payload)).toEqual([
      "policyKey: must not be empty",
      "name: must be a string, or a secret placeholder { $env: NAME } (got number 5)",
      'staged: must be true or false (got "no")',
      "actions: must list at least 1 item",
    ]);
  });

  it("checks the shape of actions by policy type", () => {
    const subscriptionWithList = { ...minimal.policy, actions: [{ rules: [] }] };
    expect(problems("policy", subscriptionWithList)).toEqual([
      "actions: must be an object (got a list)",
    ]);
  });

  it("validates a source by its kind: table, query or all", () => {
    const payload = {
      ...minimal.data,
      sources: [{ all: false }, { query: "select 1" }, { schema: "s" }],
    };
    expect(problems("data", payload)).toEqual([
      "sources[0].all: must be true (got boolean false)",
      "sources[1].naming: required",
      "sources[2].table: required",
    ]);
  });
});

describe("secret placeholders", () => {
  it("are valid wherever free text is", () => {
    const payload = {
      ...minimal.data,
      connection: { ...connection, hostname: { $env: "HOST" }, password: { $env: "PW" } },
      owners: [{ type: "user", name: { $env: "OWNER" } }],
    };
    expect(problems("data", payload)).toEqual([]);
  });

  it("are not allowed in key fields or references to keys", () => {
    expect(problems("data", { ...minimal.data, connectionKey: { $env: "K" } })).toEqual([
      "connectionKey: must be a literal string: keys and references to keys cannot be secrets",
    ]);
    expect(problems("policy", { ...minimal.policy, policyKey: { $env: "K" } })).toHaveLength(1);
    expect(problems("project", { ...minimal.project, projectKey: { $env: "K" } })).toHaveLength(1);
    expect(problems("purpose", { name: { $env: "K" } })).toHaveLength(1);
    expect(problems("project", { ...minimal.project, purposes: [{ $env: "P" }] })).toEqual([
      "purposes[0]: must be a literal string: keys and references to keys cannot be secrets",
    ]);
  });

  it("must name a variable, and nothing else", () => {
    const payload = {
      ...minimal.data,
      connection: { ...connection, password: { default: "x", $env: "1PW" } },
    };
    expect(problems("data", payload)).toEqual([
      "connection.password.default: unknown field (allowed here: $env)",
      'connection.password.$env: must be an environment variable name (letters, digits and _, not starting with a digit) (got "1PW")',
    ]);
  });
});

describe("aliases", () => {
  it("normalises allowedMaskedJoins to allowMaskedJoins", () => {
    const project = validatePayload(
      "project",
      { ...minimal.project, allowedMaskedJoins: true },
      "t",
    );
    expect(project).toEqual({ ...minimal.project, allowMaskedJoins: true });
  });

  it("normalises requiredPermissions to requiredPermission, in policies and projects", () => {
    const approvals = [{ requiredPermissions: "OWNER", specificApproverRequired: true }];
    const normalised = [{ requiredPermission: "OWNER", specificApproverRequired: true }];
    const policy = validatePayload(
      "policy",
      { ...minimal.policy, actions: { type: "approval", approvals } },
      "t",
    );
    const project = validatePayload(
      "project",
      { ...minimal.project, subscriptionPolicy: { type: "approval", approvals } },
      "t",
    );
    expect(policy.type === "subscription" && policy.actions.approvals).toEqual(normalised);
    expect(project.subscriptionPolicy?.approvals).toEqual(normalised);
  });

  it("accepts a file's $schema (for editors) and drops it: it is not Immuta's", () => {
    const payload = { $schema: "../schemas/purpose.json", name: "Research" };
    expect(validatePayload("purpose", payload, "t")).toEqual({ name: "Research" });
    expect(problems("purpose", { ...payload, $schema: 1 })).toEqual([
      "$schema: must be a string (got number 1)",
    ]);
  });

  it("refuses both spellings at once", () => {
    expect(
      problems("project", {
        ...minimal.project,
        allowMaskedJoins: true,
        allowedMaskedJoins: false,
      }),
    ).toEqual([
      "(payload): give either allowMaskedJoins or its alias allowedMaskedJoins, not both",
    ]);
  });
});

describe("validatePayload", () => {
  it("throws one error listing every problem, naming the subject", () => {
    let error: unknown;
    try {
      validatePayload("purpose", { description: 1 }, "governance/purposes.yaml:3");
      // (a missing field is reported after the fields that are there)
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe(
      "governance/purposes.yaml:3: 2 problems\n" +
        "  description: must be a string, or a secret placeholder { $env: NAME } (got number 1)\n" +
        "  name: required",
    );
    expect((error as ValidationError).code).toBe("VALIDATION");
  });

  it("skips values the caller marks as unknown until apply time", () => {
    const token = "${TfToken[TOKEN.1]}";
    const payload = {
      ...minimal.policy,
      circumstanceOperator: token,
      staged: { resolve: () => 1 },
    };
    const isToken = (v: unknown) =>
      v === token || (typeof v === "object" && v !== null && "resolve" in v);
    expect(problems("policy", payload)).toHaveLength(2);
    expect(findProblems("policy", payload, { skip: isToken })).toEqual([]);
  });
});
