/**
 * Query parameters of the compatibility routes, checked as strictly as the V2 API's (see
 * `STRICT_QUERY`): an unknown or repeated parameter is a 400, so is a malformed value.
 */
import { HttpError } from "../http-error";
import { queryPairs } from "../query";
import type { CompatParam } from "./routes";

export type CompatQuery = Readonly<Record<string, string | boolean | number>>;

/** @param endpoint e.g. `GET /project`, for messages */
export function parseCompatQuery(
  search: string,
  accepted: Readonly<Record<string, CompatParam>>,
  endpoint: string,
): CompatQuery {
  const out: Record<string, string | boolean | number> = {};
  const problems: string[] = [];
  for (const [name, raw] of queryPairs(search)) {
    const type = Object.hasOwn(accepted, name) ? accepted[name] : undefined;
    if (type === undefined) {
      const names = Object.keys(accepted);
      problems.push(
        `unknown query parameter "${name}" (${endpoint} accepts ${names.length > 0 ? names.join(", ") : "none"})`,
      );
    } else if (Object.hasOwn(out, name)) {
      problems.push(`query parameter ${name} given more than once`);
    } else if (type === "string") {
      out[name] = raw;
    } else if (type === "boolean") {
      const value = raw.toLowerCase();
      if (value === "true" || value === "false") out[name] = value === "true";
      else problems.push(`query parameter ${name} must be true or false (got "${raw}")`);
    } else if (/^\d+$/.test(raw)) {
      out[name] = Number(raw);
    } else {
      problems.push(`query parameter ${name} must be a whole number, 0 or more (got "${raw}")`);
    }
  }
  if (problems.length > 0) throw new HttpError(400, problems.join("\n"));
  return out;
}
