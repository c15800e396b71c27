/**
 * The embedded server's choices where Immuta's documentation is silent (the spec's [ours]), in one
 * place, so that each can be checked against a real tenant and corrected here. Values are below;
 * choices that are behaviour rather than a value are listed here with where they live:
 *
 * - Data source names when a `nameTemplate` field is omitted or "": `DEFAULT_NAME_TEMPLATE` in
 *   `src/payload/naming.ts` (the constructs name data sources the same way at synth).
 * - Data source names are unique across the tenant: a connection whose names collide with another
 *   connection's sources is refused with 400 (`data-sources.ts`); set a `nameTemplate` or `naming`.
 * - A change that applies to every source (a connection field such as the password, `options`
 *   other than `hardDelete` and `tableTags`, `owners`, `nameTemplate`) lists every kept source as
 *   `updating`; `options.tableTags` apply to disabled sources too (`data-sources.ts`).
 * - The data response's `pending` appears only when some source is still being created; a dry
 *   run does not wait, it answers what would still be creating once `wait` ran out (`api.ts`).
 * - A policy's `appliedTo` lists enabled data sources only, staged policies included, sorted
 *   (`applies.ts`).
 * - Purpose and sub-purpose names are unique across the tenant (`purposes.ts`).
 * - A project may name a disabled data source: it still exists (`projects.ts`).
 * - `reCertify` and `reAcknowledgeRequired` with a changed certification or acknowledgement set
 *   `recertificationRequired` / `reAcknowledgementRequired`, shown on GET (`policies.ts`,
 *   `purposes.ts`); `deleteDataSourcesOnWorkspaceDelete` is kept with the project.
 * - DELETE of a purpose or connection a project uses is 409 naming the projects; POSTs that drop
 *   such a sub-purpose or data source are not refused (`objects.ts`).
 * - `GET /api/v2/{kind}` answers a JSON array of keys, sorted; `GET /api/v2/{kind}/{key}` the
 *   payload plus `id`, `createdAt`, `updatedAt` and per kind `dataOwners` and `dataSources`,
 *   `recertificationRequired`, `deleteDataSourcesOnWorkspaceDelete`, `reAcknowledgementRequired`
 *   (`objects.ts`).
 * - Ids are per kind, from 1, stable across updates; after a restart new ids continue after the
 *   highest stored one (`state.ts`).
 * - Error bodies are `{ statusCode, error, message }` (`http-error.ts`).
 * - With no API keys configured, any non-empty key is accepted, with every permission, acting as
 *   the user named like it (`auth.ts`).
 * - Injected faults are matched before authentication, like a failing proxy in front (`api.ts`).
 */
import type { Kind } from "../payload/kinds";
import type { Permission } from "./types";

/** Tables left out of a later POST are disabled, not deleted, unless `options.hardDelete` says so. */
export const DEFAULT_HARD_DELETE = false;

/** Documented by Immuta; here so that the one table answers "who may call what". */
export const PERMISSION_FOR_KIND: Record<Kind, Permission> = {
  data: "CREATE_DATA_SOURCE",
  policy: "GOVERNANCE",
  project: "CREATE_PROJECT",
  purpose: "GOVERNANCE",
};

/** Immuta's own words (older payload-attributes pages), answered with status 400. */
export const DUPLICATE_CONNECTION_MESSAGE =
  "You may only define data sources for the same connection once.";

/**
 * Catalog lookups (hostname, database, schema, table, column) ignore case: warehouses such as
 * Snowflake fold unquoted identifiers, and Immuta lower-cases data source names anyway.
 */
export const CATALOG_IGNORES_CASE = true;

/**
 * Tags are hierarchical (`PII.Email` is a child of `PII`): a policy circumstance on a tag also
 * matches data sources tagged with its descendants, as Immuta's tag hierarchy does.
 */
export const TAG_SEPARATOR = ".";

/**
 * Sensitive data discovery runs on new data sources unless the payload turns it off; the data
 * response's `detectionRunning` says so.
 */
export function detectionRunning(created: number, disableDiscovery: boolean | undefined): boolean {
  return created > 0 && disableDiscovery !== true;
}

/** A disabled data source that reappears in a payload is re-enabled and listed as `updating`. */
export const REENABLED_LIST = "updating";

/**
 * Query parameters are checked strictly: an unknown one (`dryrun=true`, a typo that would turn a
 * dry run into a real change) is a 400, as is a parameter given twice. Booleans are `true` or
 * `false`, in any letter case (`True` is what some languages print).
 */
export const STRICT_QUERY = true;

/**
 * Bodies are read by their Content-Type: JSON as JSON, YAML types and `text/plain` as YAML
 * (Immuta's curl example sends YAML as text/plain). A missing Content-Type is read as JSON;
 * any other type is 415.
 */
export const YAML_CONTENT_TYPES: ReadonlySet<string> = new Set([
  "application/yaml",
  "application/x-yaml",
  "text/yaml",
  "text/x-yaml",
  "text/plain",
]);
export const JSON_CONTENT_TYPES: ReadonlySet<string> = new Set(["application/json"]);

/**
 * Payloads nest a few levels (sub-purposes the deepest); deeper input is refused before anything
 * walks it recursively.
 */
export const MAX_NESTING = 64;

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
export const DEFAULT_REQUEST_LOG_LIMIT = 10_000;
export const DEFAULT_HOST = "127.0.0.1";

/** The wording of the 401 without a key, after Immuta's V1 documentation. */
export const NO_KEY_MESSAGE =
  "A valid Authorization token must be provided (Authorization: <API key>, or Authorization: Bearer <API key>)";
