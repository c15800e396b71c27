/**
 * The compatibility routes [ours]: the few endpoints outside the V2 API that Immuta's own Terraform
 * provider (`immuta/terraform-provider-immuta`) calls, served so that its purpose, project and tag
 * resources work against the embedded server, and a team that composes our constructs with that
 * provider has one local target for both. They are not our API: they answer in the shapes that
 * provider decodes (its Go structs), from the same objects the V2 API stores, addressed by the ids
 * the V2 responses return (`purposeId`, `projectId`). Each needs the permission of its V2
 * counterpart.
 */
import type { Permission } from "../types";

export type CompatEndpoint =
  | "purpose.list"
  | "purpose.get"
  | "purpose.delete"
  | "project.list"
  | "project.get"
  | "project.acknowledge"
  | "tag.list"
  | "tag.create"
  | "tag.delete";

/** How a query parameter is read: `true`/`false`, any text, or a whole number 0 or more. */
export type CompatParam = "boolean" | "string" | "count";

export interface EndpointSpec {
  readonly permission: Permission;
  readonly query: Readonly<Record<string, CompatParam>>;
  /** Whether the request has a JSON body. */
  readonly body: boolean;
}

export const ENDPOINTS: Record<CompatEndpoint, EndpointSpec> = {
  "purpose.list": {
    permission: "GOVERNANCE",
    query: {
      searchText: "string",
      includeSubpurposes: "boolean",
      noLimit: "boolean",
      size: "count",
      offset: "count",
    },
    body: false,
  },
  "purpose.get": {
    permission: "GOVERNANCE",
    query: { includeSubpurposes: "boolean" },
    body: false,
  },
  "purpose.delete": { permission: "GOVERNANCE", query: {}, body: false },
  "project.list": {
    permission: "CREATE_PROJECT",
    query: {
      searchText: "string",
      nameOnly: "boolean",
      noLimit: "boolean",
      size: "count",
      offset: "count",
    },
    body: false,
  },
  "project.get": { permission: "CREATE_PROJECT", query: {}, body: false },
  "project.acknowledge": { permission: "CREATE_PROJECT", query: {}, body: true },
  "tag.list": {
    permission: "GOVERNANCE",
    query: { searchText: "string", limit: "count" },
    body: false,
  },
  "tag.create": { permission: "GOVERNANCE", query: {}, body: true },
  "tag.delete": { permission: "GOVERNANCE", query: {}, body: false },
};

/** A request path that names a compatibility route. */
export interface CompatRoute {
  /** The route's pattern, for messages: `/governance/purpose/{id}`. */
  readonly pattern: string;
  /** What each method does on it. */
  readonly methods: Readonly<Partial<Record<string, CompatEndpoint>>>;
  /** The path's parameters, decoded: `id` and `subscriptionId` as digits, a tag's `name`. */
  readonly params: Readonly<Record<string, string>>;
  /** Why the path cannot be served (bad URL encoding, an id that is not a number): a 400. */
  readonly malformed?: string;
}

interface Pattern {
  readonly pattern: string;
  readonly methods: Readonly<Partial<Record<string, CompatEndpoint>>>;
  /** Its last parameter is the rest of the path, slashes and all. */
  readonly rest?: true;
}

const ROUTES: readonly Pattern[] = [
  { pattern: "/governance/purpose", methods: { GET: "purpose.list" } },
  {
    pattern: "/governance/purpose/{id}",
    methods: { GET: "purpose.get", DELETE: "purpose.delete" },
  },
  { pattern: "/project", methods: { GET: "project.list" } },
  { pattern: "/project/{id}", methods: { GET: "project.get" } },
  {
    pattern: "/project/{id}/members/{subscriptionId}/acknowledge",
    methods: { POST: "project.acknowledge" },
  },
  { pattern: "/tag", methods: { GET: "tag.list", POST: "tag.create" } },
  // A tag name is the rest of the path: Immuta's provider sends it unencoded.
  { pattern: "/tag/{name}", methods: { DELETE: "tag.delete" }, rest: true },
];

/** Every route, for the 404 that lists what the server serves. */
export const COMPAT_PATTERNS = ROUTES.map((r) => r.pattern);

/** The compatibility route a path names, if any. */
export function matchCompat(path: string): CompatRoute | undefined {
  const segments = path.split("/").slice(1);
  for (const { pattern, methods, rest } of ROUTES) {
    const parts = pattern.split("/").slice(1);
    const last = parts.length - 1;
    if (rest ? segments.length < parts.length : segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let malformed: string | undefined;
    const matched = parts.every((part, i) => {
      if (!part.startsWith("{")) return segments[i] === part;
      const name = part.slice(1, -1);
      const raw = i === last && rest ? segments.slice(i).join("/") : segments[i];
      if (raw === "") return false;
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        malformed ??= `Malformed ${name} in ${path}: not valid URL encoding`;
        return true;
      }
      // Every parameter but a tag's name is an id.
      if (name !== "name" && !/^\d{1,15}$/.test(params[name])) {
        malformed ??= `${name} in ${path} must be a whole number (got ${JSON.stringify(params[name])})`;
      }
      return true;
    });
    if (matched) return { pattern, methods, params, ...(malformed ? { malformed } : {}) };
  }
  return undefined;
}
