import {
  editorSchema,
  bool,
  key,
  list,
  notBoth,
  object,
  tagged,
  text,
  type JsonSchema,
} from "./build";
import { subscriptionActions } from "./policy";

const workspace = tagged("type", {
  databricks: object(
    {
      type: { const: "databricks" },
      config: object({ database: text, directory: text, workspaceConfigurationName: text }),
    },
    ["type", "config"],
  ),
  snowflake: object(
    { type: { const: "snowflake" }, config: object({ schema: text, warehouses: list(text) }) },
    ["type", "config"],
  ),
});

export const projectSchema: JsonSchema = object(
  {
    $schema: editorSchema,
    projectKey: key,
    name: text,
    description: text,
    documentation: text,
    allowMaskedJoins: bool,
    allowedMaskedJoins: bool,
    purposes: list(key),
    datasources: list(key),
    subscriptionPolicy: subscriptionActions,
    workspace,
    equalization: bool,
    tags: list(text),
  },
  ["projectKey", "name"],
  {
    title: "Immuta V2 project payload (POST /api/v2/project)",
    ...notBoth("allowMaskedJoins", "allowedMaskedJoins"),
  },
);
