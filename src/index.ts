// The public API of cdktf-immuta: a curated list of named exports.

// Constructs and the provider layer (synth time)
export {
  DataSource,
  GlobalPolicy,
  Project,
  Purpose,
  Secret,
  ImmutaObject,
  PayloadDirectory,
  type PayloadDirectoryProps,
  type DataSourceProps,
  type GlobalPolicyProps,
  type GlobalPolicyOptions,
  type ProjectProps,
  type PurposeProps,
  type PurposeReference,
  type ImmutaObjectOptions,
} from "./constructs";
export {
  ImmutaProvider,
  TerraformData,
  type ImmutaProviderProps,
  type TerraformDataConfig,
  type CarrierName,
  CDK_PACKAGE,
  CDK_CHOICE_ENV,
  type CdkPackageName,
} from "../providers";

// Payload model (pure; no cdktf)
export {
  KINDS,
  KEY_FIELD,
  detectKind,
  canonicalJson,
  findProblems,
  validatePayload,
  normalizeAliases,
  payloadSchema,
  loadPayloadFile,
  loadPayloadText,
  resolveSecrets,
  redactPayload,
} from "./payload";
export {
  SECRET_PATHS_HEADER,
  formatSecretPaths,
  parseSecretPaths,
  type SecretPath,
} from "./payload/secrets";
export { MAX_EXPANDED_BYTES, ParseLimitError, type YamlLimits } from "./payload/parse";
export { unchecked, type Unchecked } from "./payload/unchecked";
export type * from "./payload/types";
export type { Kind, LoadedPayload, ValidateOptions, JsonSchema } from "./payload";

// Access simulation (pure): who may see what, from a tenant's payloads. For a synthesized stack
// and jest matchers, see cdktf-immuta/testing.
export {
  compileTenant,
  simulateAccess as simulateTenantAccess,
  tenantFromPayloads,
  CompiledTenant,
  accessChoices,
  type AccessReport,
  type DataSourceAccess,
  type ColumnAccess,
  type SimulatedUser,
  type TenantInput,
  type AccessCatalog,
  type SimulateOptions,
} from "./access";

// The V2 client (apply time)
export {
  ImmutaClient,
  type ApplyOptions,
  type ClientOptions,
  type RequestEvent,
  type ResponseEvent,
  type DeleteQuery,
  type RetryEvent,
} from "./client";

// The embedded V2 API server
export {
  startServer,
  DEFAULT_CATALOG,
  checkCatalog,
  parseFault,
  type ServerOptions,
  type RunningServer,
  type RequestLogEntry,
  type Fault,
  type ApiKey,
  type Permission,
  type Catalog,
  type CatalogConnection,
  type CatalogSchemas,
} from "./server";

// Errors
export {
  ApiError,
  NetworkError,
  NoEndpointError,
  type RequestSubject,
  ImmutaError,
  ValidationError,
  PayloadSyntaxError,
  PayloadFileError,
  UsageError,
  SynthError,
  type Problem,
} from "./errors";
