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
 * - DELETE of a purpose a project uses is 409 naming the projects; a POST that drops such a
 *   sub-purpose is not refused (`objects.ts`).
 * - Data sources that stop existing leave the projects that name them, as a deleted data source
 *   leaves its projects in Immuta (inferred: Immuta's provider probes a connection with a dry-run
 *   DELETE and accepts only 200 or 404): a connection deleted (dry run or not), sources a POST
 *   disables or hard-deletes. The projects are rewritten in the same commit; the response lists
 *   `removedFromProjects: [{ projectKey, datasources }]` (by project key, the names in the project's
 *   order), present only when some project loses one. Sources recreated under their own names (the
 *   connection's details changed) stay in their projects: projects name data sources by name
 *   (`cascade.ts`).
 * - A connection's `schema` limits omitted `sources` and `{ all: true }` to that schema's tables;
 *   tables named explicitly may be of any schema; a schema the catalog lacks is a 400 at
 *   `connection.schema` (`desired-sources.ts`).
 * - `/api/v2/{kind}/` (an empty key) names an object no payload can create: GET and DELETE answer
 *   404, POST 405 (`api.ts`).
 * - A change of several objects is committed through a journal in the data directory
 *   (`journal/commit.json`): all of it survives a crash, or none (`persist.ts`).
 * - POST /api/v2/simulate needs GOVERNANCE (`SIMULATE_PERMISSION`, `simulate.ts`). Injected
 *   faults apply to the V2 routes only, not to it nor to the compatibility routes (`api.ts`).
 * - Compatibility routes for Immuta's Terraform provider (`compat/`): not our API. Each needs
 *   the permission of its V2 counterpart (purposes and tags GOVERNANCE, projects
 *   CREATE_PROJECT) and takes only the query parameters listed in `compat/routes.ts`. Their views
 *   show the payload as last POSTed, as GET /api/v2 does: a field the payload left out is absent,
 *   never a system default. The server has no profile ids: `addedBy`, `createdBy`,
 *   `addedByProfile` are absent. DELETE /governance/purpose/{id} answers the purpose with
 *   `deleted: true` and keeps the V2 route's 409. A project's one member subscription is its
 *   caller's, numbered as the project; acknowledging it changes nothing. GET /project pages by 10
 *   (Immuta's documented default), the purpose and tag lists answer every match unless `size` or
 *   `limit` is given. Tags: POST /tag creates missing ancestors, is idempotent by name, refuses an
 *   `id` other than the tag's (no renames); DELETE /tag/{name} removes that tag only, not those
 *   below it; `displayName` is the last segment of the name; V2 payloads are not checked against
 *   them, and a tag's removal leaves the payloads that name it as they are.
 * - `GET /api/v2/{kind}` answers a JSON array of keys, sorted; `GET /api/v2/{kind}/{key}` the
 *   payload plus `id`, `createdAt`, `updatedAt` and per kind `dataOwners` and `dataSources`,
 *   `recertificationRequired`, `deleteDataSourcesOnWorkspaceDelete`, `reAcknowledgementRequired`
 *   (`objects.ts`).
 * - Ids are per kind, from 1, stable across updates; after a restart new ids continue after the
 *   highest stored one (`state.ts`).
 * - Error bodies are `{ statusCode, error, message }` (`http-error.ts`).
 * - Users are known by name, never by key: a key acts as the user it is configured with, or, unnamed,
 *   as `key-sha256-` and 12 hex digits of its SHA-256 (`UNNAMED_USER_PREFIX`); with no API keys
 *   configured, any non-empty key is accepted, with every permission, acting that way (`auth.ts`).
 *   Keys are held as their SHA-256 only; none is stored, returned or logged, in full or in part.
 *   Data written before keys had names (a key as a data source's owner) is renamed on start
 *   (`key-owners.ts`).
 * - Users files (`immuta-v2 serve --users FILE`) are YAML or JSON, `users: [{ name, key |
 *   keySha256, permissions? }]`; a `key` may be a `{ $env: NAME }` placeholder (`users-file.ts`).
 * - Authentication, permission, the query and the Content-Type are checked before a body is read;
 *   a request refused then is answered at once, and its body is discarded, never parsed (`api.ts`,
 *   `http.ts`).
 * - Injected faults are matched after authentication (and after the body, whose key they may
 *   name): an unauthenticated request is never delayed by one (`api.ts`).
 * - A value the client marks as a secret (`x-immuta-secret-paths`, see `SECRET_PATHS_HEADER`) reads
 *   as "[redacted]" on GET, as do the secret fields by name; the mark stays while the value stays
 *   the same, so that a client that does not mark (Immuta's Terraform provider) does not unveil it
 *   (`secret-marks.ts`).
 * - A full disk answers 507 Insufficient Storage; any other failure to read or write the data
 *   directory 500; neither names a path (`storage-error.ts`). A data directory that cannot be
 *   written refuses the start (`persist.ts`; `serve` exits 2).
 * - No object is stored larger than `maxBodyBytes` (as JSON): a YAML body whose aliases would expand
 *   past it is 413 when parsed (`body.ts`), one that would be stored larger is 413 before it is
 *   stored (`api.ts`).
 * - A new connection past `maxConnections` closes the connection idle longest that never carried
 *   an admitted request, else the one whose admitted body has been arriving longest, else an
 *   authenticated client's kept-alive connection idle longest; when every connection is serving a
 *   request, the new one is refused (`connections.ts`).
 */
import type { Kind } from "../payload/kinds";
import type { Permission } from "./types";

/**
 * Fields with a system default that an empty string leaves at that default, as an empty
 * `nameTemplate` format does (`DEFAULT_NAME_TEMPLATE`): Immuta's Terraform provider sends "" for
 * every string it was not given. Such a field is stored, compared and read back as omitted
 * (`purposes.ts`). A field without a default (`description`) keeps its "".
 */
export const EMPTY_MEANS_DEFAULT = { purpose: ["acknowledgement"] } as const;

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

/**
 * No object of a payload has more than a few dozen fields (an open `connection` or rule `config`
 * included); one of thousands is refused before validation, which costs microseconds per field.
 */
export const MAX_FIELDS = 1000;

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * YAML bodies have their own, lower limits: the YAML parser costs about 3 µs and 1 KB per token
 * (JSON.parse a hundredth of that), so 50,000 tokens (about 1,000 tables of a data source in
 * block style) bound one parse to about a quarter of a second and 50 MB; a text over the budget
 * is refused after counting its tokens, a tenth of that. Larger payloads go as JSON, as the CLI
 * and Immuta's Terraform provider send them anyway.
 */
export const DEFAULT_MAX_YAML_BODY_BYTES = 1024 * 1024;
export const MAX_YAML_TOKENS = 50_000;

/**
 * Bodies larger than this are parsed one at a time, each after the server has seen to its other
 * connections: a crowd of large bodies then delays a small request by one parse at most, not by
 * the sum of them all.
 */
export const LARGE_BODY_BYTES = 64 * 1024;

/**
 * Connections: a cap well under the common 1,024 open-file limit (the data directory needs files
 * too), headers within seconds, a whole request within half a minute (10 MiB at 350 KB/s).
 */
export const DEFAULT_MAX_CONNECTIONS = 256;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The user an unnamed key acts as: this prefix and the first digits of the key's SHA-256. */
export const UNNAMED_USER_PREFIX = "key-sha256-";
export const UNNAMED_USER_HASH_DIGITS = 12;

/**
 * The data directory holds connection passwords: it is created (or narrowed to) 0700, and each
 * file written 0600, so that other users of a shared machine cannot read it.
 */
export const DATA_DIR_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;
export const DEFAULT_REQUEST_LOG_LIMIT = 10_000;
export const DEFAULT_HOST = "127.0.0.1";

/** The wording of the 401 without a key, after Immuta's V1 documentation. */
export const NO_KEY_MESSAGE =
  "A valid Authorization token must be provided (Authorization: <API key>, or Authorization: Bearer <API key>)";
