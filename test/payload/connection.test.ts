/** The `connection` of a data source: checked per handler and per authentication method. */
import { formatProblem } from "../../src/errors";
import { findProblems } from "../../src/payload";
import { copy, documentedPayloads, minimal } from "./fixtures";

type Fields = Record<string, unknown>;

function problems(connection: unknown): string[] {
  return findProblems("data", { connectionKey: "k", connection }).map(formatProblem);
}

const examples = new Map(
  documentedPayloads("data").map((p) => {
    const payload = p.payload as { connectionKey: string; connection: Fields };
    return [payload.connectionKey, payload.connection];
  }),
);

function example(key: string): Fields {
  const found = examples.get(key);
  if (!found) throw new Error(`no documented connection ${key}`);
  return copy(found);
}

/**
 * What each handler and method requires: Immuta's payload attribute pages, and our choices where
 * they are silent (src/payload/schema/connection.ts marks those [ours]).
 */
const REQUIRED: Record<string, string[]> = {
  "snowflake-password": [
    "handler",
    "hostname",
    "database",
    "warehouse",
    "authenticationMethod",
    "username",
    "password",
  ],
  "snowflake-key-pair": [
    "handler",
    "hostname",
    "database",
    "warehouse",
    "authenticationMethod",
    "username",
    "userFiles",
  ],
  "snowflake-key-file-older-docs": [
    "handler",
    "hostname",
    "database",
    "warehouse",
    "authenticationMethod",
    "username",
    "userFiles",
  ],
  "snowflake-oauth-secret": [
    "handler",
    "hostname",
    "database",
    "warehouse",
    "authenticationMethod",
    "useCertificate",
    "clientId",
    "clientSecret",
  ],
  "snowflake-oauth-certificate": [
    "handler",
    "hostname",
    "database",
    "warehouse",
    "authenticationMethod",
    "useCertificate",
    "clientId",
    "userFiles",
  ],
  "databricks-oauth": [
    "handler",
    "hostname",
    "database",
    "httpPath",
    "useCertificate",
    "clientId",
    "clientSecret",
  ],
  "databricks-token-older-docs": ["handler", "hostname", "database", "httpPath", "password"],
  bigquery: ["handler", "sid", "userFiles"],
  athena: [
    "handler",
    "hostname",
    "database",
    "region",
    "queryResultLocationBucket",
    "username",
    "password",
  ],
  "athena-instance-role": [
    "handler",
    "hostname",
    "database",
    "region",
    "queryResultLocationBucket",
  ],
  trino: ["handler", "hostname", "database", "username", "password"],
  presto: ["handler", "hostname", "database"],
  redshift: ["handler", "hostname", "database", "username", "password"],
  postgresql: ["handler", "hostname", "database", "username", "password"],
  synapse: ["handler", "hostname", "database", "username", "password"],
  hadoop: ["handler", "hostname", "database", "username"],
};

/** Removing a field that is not required can still change what is: the method's default. */
const WITHOUT: Record<string, string[]> = {
  // Without a method, Databricks authenticates with a personal access token, in `password`.
  "databricks-oauth authenticationMethod": ["connection.password: required"],
  // Without a method, Athena authenticates with an access key: its id and its secret.
  "athena-instance-role authenticationMethod": [
    "connection.username: required",
    "connection.password: required",
  ],
};

describe("each documented handler's example", () => {
  it("covers every handler", () => {
    const handlers = new Set([...examples.values()].map((c) => c.handler));
    expect([...handlers].sort()).toEqual([
      "Amazon Athena",
      "Azure Synapse Analytics",
      "Databricks",
      "Google BigQuery",
      "Hadoop",
      "PostgreSQL",
      "Presto",
      "Redshift",
      "Snowflake",
      "Trino",
    ]);
    expect([...examples.keys()].sort()).toEqual(Object.keys(REQUIRED).sort());
  });

  it.each([...examples.keys()])("%s validates", (key) => {
    expect(problems(example(key))).toEqual([]);
  });

  it.each([...examples.keys()])("%s: each required field is required, and only those", (key) => {
    const connection = example(key);
    for (const field of Object.keys(connection)) {
      const without = { ...connection };
      delete without[field];
      const expected =
        field === "handler"
          ? ["connection.handler: required"]
          : REQUIRED[key].includes(field)
            ? [`connection.${field}: required`]
            : (WITHOUT[`${key} ${field}`] ?? []);
      expect({ field, problems: problems(without) }).toEqual({ field, problems: expected });
    }
  });
});

describe("a misspelt field", () => {
  it.each([...examples.keys()])("%s: is reported with what was meant", (key) => {
    const connection = example(key);
    for (const field of Object.keys(connection).filter((f) => f !== "handler")) {
      const typo = `${field.slice(0, -1)}${field.endsWith("s") ? "z" : "s"}`;
      const misspelt: Fields = {};
      for (const [name, value] of Object.entries(connection))
        misspelt[name === field ? typo : name] = value;
      const found = problems(misspelt);
      expect(found[0]).toMatch(
        new RegExp(
          `^connection\\.${typo}: unknown field; did you mean "${field}"\\? \\(allowed here: .*\\) — if Immuta accepts it, mark the connection unchecked$`,
        ),
      );
      // The field it replaced is then missing, if it is required.
      expect(found.slice(1)).toEqual(
        REQUIRED[key].includes(field)
          ? [`connection.${field}: required`]
          : (WITHOUT[`${key} ${field}`] ?? []),
      );
    }
  });

  it("names the fields of the handler at hand, not another's", () => {
    const found = problems({ ...example("bigquery"), warehouse: "WH" });
    expect(found).toEqual([
      "connection.warehouse: unknown field (allowed here: handler, ssl, hostname, port, database, schema, connectionStringOptions, sid, userFiles) — if Immuta accepts it, mark the connection unchecked",
    ]);
  });

  it("is reported inside userFiles too", () => {
    const connection = example("snowflake-key-pair");
    (connection.userFiles as Fields[])[0] = { keyName: "PRIV_KEY_FILE", contents: "a2V5" };
    expect(problems(connection)).toEqual([
      'connection.userFiles[0].contents: unknown field; did you mean "content"? (allowed here: keyName, key, content, userFilename, fileName) — if Immuta accepts it, mark the connection unchecked',
      "connection.userFiles[0].content: required",
    ]);
  });
});

describe("a handler", () => {
  it.each([
    ["Postgres", "PostgreSQL"],
    ["Athena", "Amazon Athena"],
    ["BigQuery", "Google BigQuery"],
    ["snowflake", "Snowflake"],
    ["Synapse", "Azure Synapse Analytics"],
  ])("%s is not one we know: did you mean %s?", (given, meant) => {
    const [problem] = problems({ ...example("postgresql"), handler: given });
    expect(problem).toBe(
      'connection.handler: must be one of "Snowflake", "Databricks", "Redshift", "PostgreSQL", ' +
        '"Azure Synapse Analytics", "Google BigQuery", "Amazon Athena", "Trino", "Presto", "Hadoop" ' +
        `(got ${JSON.stringify(given)}); did you mean ${JSON.stringify(meant)}? — if Immuta accepts it, mark the connection unchecked`,
    );
  });

  it("unknown and unlike any is reported without a guess, and only once", () => {
    expect(problems({ handler: "Oracle", hostname: "db", database: "SALES" })).toEqual([
      'connection.handler: must be one of "Snowflake", "Databricks", "Redshift", "PostgreSQL", "Azure Synapse Analytics", "Google BigQuery", "Amazon Athena", "Trino", "Presto", "Hadoop" (got "Oracle") — if Immuta accepts it, mark the connection unchecked',
    ]);
  });

  it("still has its shared fields type-checked when unknown", () => {
    expect(problems({ handler: "Oracle", port: "1521" })).toContain(
      'connection.port: must be a whole number (got "1521")',
    );
  });
});

describe("a wrong enum value", () => {
  it.each([
    [
      "snowflake-password",
      "authenticationMethod",
      "keypair",
      '"userPassword", "keyPair", "oAuthClientCredentials", "PRIV_KEY_FILE"',
      "keyPair",
    ],
    ["databricks-oauth", "authenticationMethod", "OAuthM2M", '"token", "oAuthM2M"', "oAuthM2M"],
    [
      "athena",
      "authenticationMethod",
      "accesskey",
      '"none", "accessKey", "instanceRole"',
      "accessKey",
    ],
    [
      "trino",
      "authenticationMethod",
      "LDAP",
      '"No Authentication", "LDAP Authentication", "Kerberos Authentication"',
      "LDAP Authentication",
    ],
    [
      "presto",
      "authenticationMethod",
      "No Auth",
      '"No Authentication", "LDAP Authentication", "Kerberos Authentication"',
      "No Authentication",
    ],
    [
      "hadoop",
      "authenticationMethod",
      "kerberosHDInsight",
      '"none", "userPassword", "hdInsight", "kerberos", "kerberosHdInsight", "emr"',
      "kerberosHdInsight",
    ],
    ["redshift", "authenticationMethod", "userpasword", '"userPassword"', "userPassword"],
  ])("%s: %s %j", (key, field, given, allowed, meant) => {
    expect(problems({ ...example(key), [field]: given })).toEqual([
      `connection.${field}: must be one of ${allowed} (got ${JSON.stringify(given)}); did you mean ${JSON.stringify(meant)}? — if Immuta accepts it, mark the connection unchecked`,
    ]);
  });

  it("of a key file's name is reported where Immuta documents the names", () => {
    const bigquery = example("bigquery");
    (bigquery.userFiles as Fields[])[0].keyName = "KeyFile";
    expect(problems(bigquery)).toEqual([
      'connection.userFiles[0].keyName: must be one of "KeyFilePath" (got "KeyFile"); did you mean "KeyFilePath"? — if Immuta accepts it, mark the connection unchecked',
    ]);
  });
});

describe("authentication methods", () => {
  it("OAuth with a certificate needs userFiles, without one a client secret", () => {
    const secret = example("snowflake-oauth-secret");
    expect(problems({ ...secret, useCertificate: true })).toEqual([
      "connection.userFiles: required",
    ]);
    const certificate = example("snowflake-oauth-certificate");
    expect(problems({ ...certificate, useCertificate: false })).toEqual([
      "connection.clientSecret: required",
    ]);
    expect(problems({ ...certificate, useCertificate: "yes" })).toEqual([
      'connection.useCertificate: must be true or false (got "yes")',
    ]);
  });

  it("a method's requirements follow the method given", () => {
    const { password: _, ...keyPair } = example("snowflake-password");
    expect(problems({ ...keyPair, authenticationMethod: "keyPair" })).toEqual([
      "connection.userFiles: required",
    ]);
    expect(problems({ ...example("hadoop"), authenticationMethod: "userPassword" })).toEqual([
      "connection.password: required",
    ]);
  });

  it("a connection without a method uses the documented default", () => {
    const { authenticationMethod: _a, username: _u, password: _p, ...athena } = example("athena");
    // Athena's default is an access key: its id and secret.
    expect(problems(athena)).toEqual([
      "connection.username: required",
      "connection.password: required",
    ]);
  });
});

describe("types and ranges", () => {
  it("a port is a whole number from 1 to 65535", () => {
    const connection = minimal.data.connection as Fields;
    expect(problems({ ...connection, port: 0 })).toEqual([
      "connection.port: must be at least 1 (got number 0)",
    ]);
    expect(problems({ ...connection, port: 70000 })).toEqual([
      "connection.port: must be at most 65535 (got number 70000)",
    ]);
  });

  it("a connection is an object that names its handler", () => {
    expect(problems("Snowflake")).toEqual(['connection: must be an object (got "Snowflake")']);
    expect(problems({})).toEqual(["connection.handler: required"]);
  });
});
