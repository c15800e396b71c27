/**
 * Immuta's Terraform provider (`immuta/terraform-provider-immuta`) as the embedded server sees it:
 * its requests, made as `client/request.go` makes them, and its Go structs, decoded as Go's
 * `encoding/json` decodes them, so that a test fails where the provider would fail to read an
 * answer. Every request and struct below cites the function or type of the provider it copies.
 */
import { request } from "undici";

// ---------------------------------------------------------------------------------- requests

export interface ProviderAnswer {
  readonly status: number;
  /** What `doRequest` returns for a status of 400 or more: `(status) body`, or the 404's text. */
  readonly error?: string;
  readonly body: unknown;
}

/**
 * `ImmutaClient.doRequest`: every header the client sets (`Content-Type: application/json` on
 * every request, GETs and DELETEs included), the query encoded by `url.Values.Encode` (keys
 * sorted), and a JSON body only when the caller passes params.
 */
export async function providerRequest(
  base: string,
  key: string,
  method: "GET" | "POST" | "DELETE",
  path: string,
  options: { query?: Record<string, string>; params?: unknown } = {},
): Promise<ProviderAnswer> {
  const query = Object.entries(options.query ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`.replace(/%20/g, "+"))
    .join("&");
  const answer = await request(`${base}${path}${query ? `?${query}` : ""}`, {
    method,
    headers: {
      "content-type": "application/json",
      "user-agent":
        "HashiCorp Terraform/immuta (+https://www.terraform.io) Terraform Plugin SDK/immuta",
      authorization: `Bearer ${key}`,
    },
    body: options.params === undefined ? undefined : JSON.stringify(options.params),
  });
  const text = await answer.body.text();
  if (answer.statusCode >= 400) {
    const error =
      answer.statusCode === 404 ? `NotFoundError (404) ${text}` : `(${answer.statusCode}) ${text}`;
    return { status: answer.statusCode, error, body: undefined };
  }
  return { status: answer.statusCode, body: text.length > 0 ? JSON.parse(text) : undefined };
}

// ------------------------------------------------------------------------- Go's json decoding

/** A Go type, as `encoding/json` decodes into it. */
export type GoType =
  | "string"
  | "int"
  | "bool"
  | "time"
  | "any"
  | { readonly list: GoType }
  | { readonly map: GoType }
  | { readonly struct: Readonly<Record<string, GoType>> };

/**
 * What Go's `json.Unmarshal` puts in a value of the type, or throws its error: a field of the
 * wrong JSON type, a fractional number into an int, a time that is not RFC 3339. Missing fields
 * and `null` leave the zero value; unknown fields are ignored.
 */
export function goDecode(type: GoType, value: unknown, at = "$"): unknown {
  const fail = (want: string) => {
    throw new Error(`json: cannot unmarshal ${JSON.stringify(value)} into ${want} at ${at}`);
  };
  if (type === "any") return value;
  if (value === null || value === undefined) return zero(type);
  if (type === "string") return typeof value === "string" ? value : fail("string");
  if (type === "bool") return typeof value === "boolean" ? value : fail("bool");
  if (type === "int") return Number.isInteger(value) ? value : fail("int");
  if (type === "time") {
    const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
    return typeof value === "string" && rfc3339.test(value) ? value : fail("time.Time");
  }
  if ("list" in type) {
    if (!Array.isArray(value)) return fail("slice");
    return value.map((item, i) => goDecode(type.list, item, `${at}[${i}]`));
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return fail("map" in type ? "map" : "struct");
  }
  const fields = value as Record<string, unknown>;
  if ("map" in type) {
    return Object.fromEntries(
      Object.entries(fields).map(([k, v]) => [k, goDecode(type.map, v, `${at}.${k}`)]),
    );
  }
  return Object.fromEntries(
    Object.entries(type.struct).map(([name, t]) => [
      name,
      goDecode(t, fields[name], `${at}.${name}`),
    ]),
  );
}

function zero(type: GoType): unknown {
  if (type === "string" || type === "time") return "";
  if (type === "int") return 0;
  if (type === "bool") return false;
  if (type === "any") return null;
  if ("struct" in type) return goDecode(type, {});
  return null;
}

// ---------------------------------------------------------------------------- its Go structs

const struct = (fields: Record<string, GoType>): GoType => ({ struct: fields });
const list = (of: GoType): GoType => ({ list: of });

/** `immuta/resource_purpose.go`: `Purpose`, and `PurposeInput` (embedding it). */
const PURPOSE_FIELDS = {
  name: "string",
  description: "string",
  acknowledgement: "string",
} as const;
export const Purpose = struct(PURPOSE_FIELDS);
/** `PurposeResponse` (GET /governance/purpose/{id}). */
export const PurposeResponse = struct({
  ...PURPOSE_FIELDS,
  subpurposes: list(Purpose),
  id: "int",
  addedByProfile: "int",
  displayAcknowledgement: "bool",
  deleted: "bool",
  systemGenerated: "bool",
  policyMetadata: "any",
  createdAt: "time",
  updatedAt: "time",
});
/** `PurposeResourceResponseV2` (POST /api/v2/purpose). */
export const PurposeResourceResponseV2 = struct({
  dryRun: "bool",
  creating: "bool",
  updating: "bool",
  purposeId: "int",
});
/** `Purposes` (GET /governance/purpose). */
export const Purposes = struct({ purposes: list(PurposeResponse), count: "int" });

/** `immuta/resource_tag.go`: `Tag`, as a project's tags are decoded. */
export const Tag = struct({
  id: "int",
  name: "string",
  displayName: "string",
  source: "string",
  context: "string",
  addedBy: "int",
  deleted: "bool",
});
/** `TagCreateResponse` (POST /tag answers a list of them). */
export const TagCreateResponse = struct({
  id: "int",
  name: "string",
  source: "string",
  deleted: "bool",
  systemCreated: "bool",
  createdBy: "int",
  createdAt: "time",
  updatedAt: "time",
});
/** `TagList` (GET /tag answers a list of them). */
export const TagList = struct({
  name: "string",
  hasLeafNodes: "bool",
  source: "string",
  id: "int",
  deleted: "bool",
  systemCreated: "bool",
  displayName: "string",
});

/**
 * `immuta/resource_project.go`: `Project`, which embeds `ProjectInput`; its own `Tags []Tag` and
 * `Purposes []Purpose` shadow the input's string lists, as Go resolves the shallower field.
 */
export const Project = struct({
  name: "string",
  projectKey: "string",
  description: "string",
  documentation: "string",
  allowMaskedJoins: "bool",
  subscriptionPolicy: { map: "any" },
  tags: list(Tag),
  purposes: list(Purpose),
  id: "int",
  status: "string",
  deleted: "bool",
  subscriptionId: "int",
  createdAt: "time",
  updatedAt: "time",
});
/** `ProjectResourceResponseV2` (POST /api/v2/project). */
export const ProjectResourceResponseV2 = struct({
  dryRun: "bool",
  creating: "bool",
  updating: "bool",
  numberOfDataSourcesAdded: "int",
  numberOfDataSourcesRemoved: "int",
  creatingWorkspace: "bool",
  deletingWorkspace: "bool",
  projectId: "int",
});
/** `FindProjectsResponse` (GET /project?searchText=..&nameOnly=true). */
export const FindProjectsResponse = struct({
  hits: list(Project),
  facets: struct({}),
  count: "int",
});

/** `immuta/resource_data_source.go`: `DataSourceResponse` (POST and dry-run DELETE /api/v2/data). */
export const DataSourceResponse = struct({
  dryRun: "bool",
  creating: list("string"),
  updating: list("string"),
  deleting: list("string"),
  noChange: list("string"),
  detectionRunning: "bool",
  tagsUpdated: "bool",
});

// ------------------------------------------------------------------------ what it sends

/**
 * `PurposeInput` as `UpsertPurpose` marshals it: every string present, "" when not configured
 * (the struct has no `omitempty`), `subpurposes` only when some are configured.
 */
export function purposeInput(
  name: string,
  fields: { description?: string; acknowledgement?: string; subpurposes?: object[] } = {},
) {
  return {
    name,
    description: fields.description ?? "",
    acknowledgement: fields.acknowledgement ?? "",
    ...(fields.subpurposes ? { subpurposes: fields.subpurposes } : {}),
  };
}

/** `ProjectInput` as `UpsertProject` marshals it (`omitempty` on all but name and projectKey). */
export function projectInput(
  name: string,
  projectKey: string,
  fields: { description?: string; purposes?: string[]; tags?: string[] } = {},
) {
  return {
    name,
    projectKey,
    ...(fields.description ? { description: fields.description } : {}),
    // Create and Update set it to "# <name>" when it is not configured.
    documentation: `# ${name}`,
    ...(fields.tags?.length ? { tags: fields.tags } : {}),
    ...(fields.purposes?.length ? { purposes: fields.purposes } : {}),
  };
}

/**
 * `DataSourceInput` as `UpsertDataSource` marshals it: `nameTemplate` always (a struct is never
 * omitted), its formats "" unless configured; `options` the same; no `sources`.
 */
export function dataSourceInput(connectionKey: string, connection: Record<string, unknown>) {
  return {
    connectionKey,
    nameTemplate: {
      dataSourceFormat: "",
      tableFormat: "",
      schemaFormat: "",
      schemaProjectNameFormat: "",
    },
    options: {},
    connection,
  };
}
