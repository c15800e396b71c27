/**
 * The TypeScript types and the schemas say the same: what type-checks validates, and what the
 * validator refuses is a type error too (`npm run typecheck` checks the `@ts-expect-error` lines:
 * each must be an error, or the type check fails).
 */
import { formatProblem } from "../../src/errors";
import { findProblems, unchecked, type Connection, type DataRule, type Kind } from "../../src";

function problems(kind: Kind, payload: unknown): string[] {
  return findProblems(kind, payload).map(formatProblem);
}

const host = { hostname: "h.example", database: "D" };

/** Connections that type-check: one per handler and method. */
const typed: Connection[] = [
  {
    handler: "Snowflake",
    ...host,
    warehouse: "WH",
    authenticationMethod: "userPassword",
    username: "u",
    password: { $env: "P" },
  },
  {
    handler: "Snowflake",
    ...host,
    warehouse: "WH",
    authenticationMethod: "keyPair",
    username: "u",
    userFiles: [{ keyName: "PRIV_KEY_FILE", content: "a2V5" }],
  },
  {
    handler: "Snowflake",
    ...host,
    warehouse: "WH",
    authenticationMethod: "oAuthClientCredentials",
    useCertificate: false,
    clientId: "c",
    clientSecret: "s",
  },
  {
    handler: "Snowflake",
    ...host,
    warehouse: "WH",
    authenticationMethod: "oAuthClientCredentials",
    useCertificate: true,
    clientId: "c",
    userFiles: [{ content: "Y2VydA==" }],
  },
  { handler: "Databricks", ...host, httpPath: "/sql/1.0/warehouses/x", password: "dapi" },
  {
    handler: "Databricks",
    ...host,
    httpPath: "/sql",
    authenticationMethod: "oAuthM2M",
    useCertificate: false,
    clientId: "c",
    clientSecret: "s",
    scope: "all-apis",
  },
  { handler: "Redshift", ...host, username: "u", password: "p" },
  { handler: "PostgreSQL", ...host, port: 5432, username: "u", password: "p" },
  {
    handler: "Azure Synapse Analytics",
    ...host,
    authenticationMethod: "userPassword",
    username: "u",
    password: "p",
  },
  {
    handler: "Google BigQuery",
    sid: "project",
    userFiles: [{ keyName: "KeyFilePath", content: "e30=" }],
  },
  {
    handler: "Amazon Athena",
    ...host,
    region: "us-east-1",
    queryResultLocationBucket: "b",
    username: "AKIA",
    password: "s",
  },
  {
    handler: "Amazon Athena",
    ...host,
    region: "us-east-1",
    queryResultLocationBucket: "b",
    authenticationMethod: "instanceRole",
  },
  {
    handler: "Trino",
    ...host,
    authenticationMethod: "LDAP Authentication",
    username: "u",
    password: "p",
  },
  { handler: "Presto", ...host },
  { handler: "Hadoop", ...host, authenticationMethod: "kerberos", username: "immuta@EXAMPLE.COM" },
  unchecked({ handler: "Oracle", ...host, serviceName: "ORCL" }),
];

/** Connections the types refuse, each with the validator's word for it. */
// prettier-ignore
const refused: [Connection, string][] = [
  // @ts-expect-error a misspelt field
  [{ handler: "Snowflake", ...host, warehous: "WH", authenticationMethod: "userPassword", username: "u", password: "p" }, "connection.warehous: unknown field"],
  // @ts-expect-error a handler we do not know, unmarked
  [{ handler: "Postgres", ...host, username: "u", password: "p" }, "connection.handler: must be one of"],
  // @ts-expect-error a missing required field
  [{ handler: "Snowflake", ...host, authenticationMethod: "userPassword", username: "u", password: "p" }, "connection.warehouse: required"],
  // @ts-expect-error what the method requires is missing
  [{ handler: "Snowflake", ...host, warehouse: "WH", authenticationMethod: "keyPair", username: "u" }, "connection.userFiles: required"],
  // @ts-expect-error a wrong method
  [{ handler: "Trino", ...host, authenticationMethod: "LDAP" }, "connection.authenticationMethod: must be one of"],
  // @ts-expect-error a field of another handler
  [{ handler: "Google BigQuery", sid: "p", userFiles: [{ content: "e30=" }], warehouse: "WH" }, "connection.warehouse: unknown field"],
];

const rules: DataRule[] = [
  { type: "Masking", config: { fields: [{ type: "noTags" }], maskingConfig: { type: "Hash" } } },
  {
    type: "Masking",
    config: {
      fields: [{ type: "columnTags", columnTag: "PII" }],
      maskingConfig: { type: "Constant", constant: "X" },
      conditionalPredicate: "true",
    },
  },
  { type: "Minimization", config: { percent: 10 } },
  { type: "Time Restriction", config: { time: 5, unit: "years" } },
  { type: "Purpose Restriction", config: { purposes: ["Research"] } },
  {
    type: "Row Restriction By User Entitlements",
    config: { matches: [{ type: "attribute", attribute: "Country", columnTag: "Country" }] },
  },
  { type: "Row Restriction by Custom Where Clause", config: { predicate: "1 = 1" } },
  {
    type: "Masking",
    config: unchecked({ fields: [{ type: "columnNames" }], maskingConfig: { type: "Regex" } }),
  },
];

// prettier-ignore
const refusedRules: [DataRule, string][] = [
  // @ts-expect-error a masking type we do not know, unmarked
  [{ type: "Masking", config: { fields: [{ type: "noTags" }], maskingConfig: { type: "Hashh" } } }, "config.maskingConfig.type: must be one of"],
  // @ts-expect-error a misspelt field of the masked columns
  [{ type: "Masking", config: { fields: [{ type: "columnTags", colTag: "PII" }], maskingConfig: { type: "Hash" } } }, "config.fields[0].colTag: unknown field"],
  // @ts-expect-error a misspelt config field
  [{ type: "Masking", config: { fields: [{ type: "noTags" }], maskingConfig: { type: "Hash" }, conditionalPredicat: "x" } }, "config.conditionalPredicat: unknown field"],
  // @ts-expect-error another rule type's config
  [{ type: "Minimization", config: { predicate: "1 = 1" } }, "config.predicate: unknown field"],
];

function policy(rule: DataRule) {
  return { policyKey: "p", name: "P", type: "data", actions: [{ rules: [rule] }] };
}

describe("the types and the schemas agree", () => {
  it.each(typed.map((c) => [c.handler, c] as const))(
    "a %s connection that type-checks validates",
    (_, connection) => {
      expect(problems("data", { connectionKey: "k", connection })).toEqual([]);
    },
  );

  it.each(refused)("a connection the types refuse is refused: %j", (connection, problem) => {
    expect(problems("data", { connectionKey: "k", connection })[0]).toContain(problem);
  });

  it.each(rules.map((r) => [r.type, r] as const))(
    "a %s rule that type-checks validates",
    (_, rule) => {
      expect(problems("policy", policy(rule))).toEqual([]);
    },
  );

  it.each(refusedRules)("a rule the types refuse is refused: %j", (rule, problem) => {
    expect(problems("policy", policy(rule))[0]).toContain(`actions[0].rules[0].${problem}`);
  });
});
