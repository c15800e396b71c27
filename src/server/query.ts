/**
 * Query parameters: strings in the URL, checked strictly (see `STRICT_QUERY`): a typo such as
 * `dryrun=true` must not silently turn a dry run into a real change.
 */
import { STRICT_QUERY } from "./choices";
import { HttpError } from "./http-error";

export type ParamType = "boolean" | "number";

export interface Query {
  readonly dryRun: boolean;
  /** Seconds; below 0 waits indefinitely. */
  readonly wait: number;
  readonly reCertify: boolean;
  readonly reAcknowledgeRequired: boolean;
  readonly deleteDataSourcesOnWorkspaceDelete: boolean;
}

/** Every parameter at its default. */
export const NO_QUERY: Query = {
  dryRun: false,
  wait: 0,
  reCertify: false,
  reAcknowledgeRequired: false,
  deleteDataSourcesOnWorkspaceDelete: false,
};

/** Every `name=value` pair of a query string, decoded, in order. */
export function queryPairs(search: string): [string, string][] {
  return search === "" ? [] : [...new URLSearchParams(search)];
}

/**
 * The query of a request, given the parameters its endpoint accepts.
 * @param endpoint e.g. `POST /api/v2/data`, for messages
 */
export function parseQuery(
  pairs: readonly [string, string][],
  accepted: Readonly<Partial<Record<keyof Query, ParamType>>>,
  endpoint: string,
): Query {
  if (pairs.length === 0) return NO_QUERY;
  const out: Record<string, boolean | number> = { ...NO_QUERY };
  const given = new Set<string>();
  const problems: string[] = [];
  for (const [name, raw] of pairs) {
    const type = Object.hasOwn(accepted, name) ? accepted[name as keyof Query] : undefined;
    if (type === undefined) {
      if (STRICT_QUERY) {
        const names = Object.keys(accepted);
        problems.push(
          `unknown query parameter "${name}" (${endpoint} accepts ${names.length > 0 ? names.join(", ") : "none"})`,
        );
      }
      continue;
    }
    if (given.has(name)) {
      problems.push(`query parameter ${name} given more than once`);
      continue;
    }
    given.add(name);
    if (type === "boolean") {
      const value = raw.toLowerCase();
      if (value === "true" || value === "false") out[name] = value === "true";
      else problems.push(`query parameter ${name} must be true or false (got "${raw}")`);
    } else if (/^-?\d+(\.\d+)?$/.test(raw)) {
      out[name] = Number(raw);
    } else {
      problems.push(`query parameter ${name} must be a number of seconds (got "${raw}")`);
    }
  }
  if (problems.length > 0) throw new HttpError(400, problems.join("\n"));
  return out as unknown as Query;
}
