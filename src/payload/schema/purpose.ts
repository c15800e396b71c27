import { editorSchema, key, list, object, plainString, text, type JsonSchema } from "./build";

export const purposeSchema: JsonSchema = object(
  {
    $schema: editorSchema,
    name: key,
    description: text,
    acknowledgement: text,
    kAnonNoiseReduction: plainString,
    subpurposes: list({ $ref: "#/definitions/subpurpose" }),
  },
  ["name"],
  { title: "Immuta V2 purpose payload (POST /api/v2/purpose)" },
);

export const subpurposeSchema: JsonSchema = object(
  {
    name: key,
    description: text,
    acknowledgement: text,
    subpurposes: list({ $ref: "#/definitions/subpurpose" }),
  },
  ["name"],
);
