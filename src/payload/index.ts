export * from "./kinds";
export * from "./types";
export { canonicalJson, canonicalize } from "./canonical";
export {
  findProblems,
  validatePayload,
  fieldPath,
  DEFAULT_PROBLEM_LIMIT,
  type ValidateOptions,
  type ValidationMode,
} from "./validate";
export { unchecked, isUnchecked, withoutMarkers, UNCHECKED, type Unchecked } from "./unchecked";
export { normalizeAliases, ALIASES } from "./aliases";
export {
  dataSourceName,
  fillTemplate,
  templateFormat,
  DEFAULT_NAME_TEMPLATE,
  type NamingContext,
} from "./naming";
export { payloadSchema, type JsonSchema } from "./schema";
export {
  listPayloadFiles,
  loadPayloadFile,
  loadPayloadText,
  readPayloadDocuments,
  UNKNOWN_KIND,
  type LoadedPayload,
  type PayloadDocument,
} from "./load";
export { parseDocuments, parseJson, parseYaml, formatOf, type TextFormat } from "./parse";
export {
  isEnvSecret,
  resolveSecrets,
  redactPayload,
  scrub,
  SECRET_FIELDS,
  REDACTED,
} from "./secrets";
