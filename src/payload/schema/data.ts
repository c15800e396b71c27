import {
  editorSchema,
  bool,
  key,
  list,
  object,
  oneOf,
  plainString,
  text,
  type JsonSchema,
} from "./build";

const userFile: JsonSchema = {
  type: "object",
  properties: {
    keyName: plainString,
    key: plainString,
    content: text,
    userFilename: plainString,
    fileName: plainString,
  },
  required: ["content"],
  additionalProperties: false,
};

/** Open: technology-specific fields are accepted; the known ones are type-checked. */
const connection: JsonSchema = {
  type: "object",
  required: ["handler"],
  properties: {
    handler: { type: "string", minLength: 1 },
    hostname: text,
    port: { type: "integer", minimum: 1, maximum: 65535 },
    database: text,
    ssl: bool,
    username: text,
    password: text,
    authenticationMethod: plainString,
    warehouse: text,
    httpPath: text,
    schema: text,
    sid: text,
    region: text,
    connectionStringOptions: text,
    userFiles: list(userFile),
    useCertificate: bool,
    clientId: text,
    clientSecret: text,
    audience: text,
    scope: text,
  },
};

const nameTemplate = object({
  dataSourceFormat: plainString,
  tableFormat: plainString,
  schemaFormat: plainString,
  schemaProjectNameFormat: plainString,
});

const options = object({
  staleDataTolerance: { type: "integer", minimum: 0 },
  disableSensitiveDataDiscovery: bool,
  domainCollectionId: text,
  hardDelete: bool,
  tableTags: list(text),
});

const owner = object({ type: oneOf("user", "group"), name: text, iam: text }, ["type", "name"]);

const naming = object({ datasource: plainString, table: plainString, schema: plainString });

const tableSource = object(
  {
    table: key,
    schema: key,
    naming,
    tags: object({
      table: list(text),
      columns: list(object({ columnName: key, tags: list(text) }, ["columnName", "tags"])),
    }),
  },
  ["table", "schema"],
);

const querySource = object({ query: text, naming }, ["query", "naming"]);

const allSources = object({ all: { const: true } }, ["all"]);

/** A source is `{ all: true }`, a query (`query`), or else a table. */
const source: JsonSchema = {
  type: "object",
  if: { required: ["all"] },
  then: allSources,
  else: { if: { required: ["query"] }, then: querySource, else: tableSource },
};

export const dataSourceSchema: JsonSchema = object(
  {
    $schema: editorSchema,
    connectionKey: key,
    connection,
    nameTemplate,
    options,
    owners: list(owner),
    sources: list(source),
  },
  ["connectionKey", "connection"],
  { title: "Immuta V2 data source payload (POST /api/v2/data)" },
);
