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
import { connectionSchema } from "./connection";

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
    connection: connectionSchema,
    nameTemplate,
    options,
    owners: list(owner),
    sources: list(source),
  },
  ["connectionKey", "connection"],
  { title: "Immuta V2 data source payload (POST /api/v2/data)" },
);
