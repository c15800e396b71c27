import type { Kind } from "../kinds";
import { definitions, type JsonSchema } from "./build";
import { dataSourceSchema } from "./data";
import { policySchema } from "./policy";
import { projectSchema } from "./project";
import { purposeSchema, subpurposeSchema } from "./purpose";

export type { JsonSchema } from "./build";

const bodies: Record<Kind, JsonSchema> = {
  data: dataSourceSchema,
  policy: policySchema,
  project: projectSchema,
  purpose: purposeSchema,
};

/**
 * The complete, self-contained JSON Schema of a kind's payload: what `schemas/<kind>.json` ships
 * for editors, and what the validator compiles. One definition serves both.
 */
export function payloadSchema(kind: Kind): JsonSchema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: `https://cdktf-immuta.dev/schemas/${kind}.json`,
    ...bodies[kind],
    definitions:
      kind === "purpose" ? { ...definitions, subpurpose: subpurposeSchema } : definitions,
  };
}
