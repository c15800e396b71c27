/**
 * Admission of the routes outside the V2 kinds: our `POST /api/v2/simulate` and the compatibility
 * routes of Immuta's Terraform provider (`compat/`). They are checked as the V2 routes are, in the
 * same order (method, key, path, permission, query, Content-Type), before a byte of the body is
 * read.
 */
import type { Admission, Exchange, RequestHead } from "./api";
import { requirePermission, type Keys } from "./auth";
import { bodyFormat } from "./body";
import { ENDPOINTS, parseCompatQuery, type CompatRoute } from "./compat";
import { HttpError } from "./http-error";
import { NO_QUERY, parseQuery, queryPairs } from "./query";
import { SIMULATE_PATH, SIMULATE_PERMISSION } from "./simulate";

/** What admission needs of the server: its keys and its body limits. */
export interface Gate {
  readonly keys: Keys;
  readonly maxBodyBytes: number;
  readonly maxYamlBodyBytes: number;
}

export function admitSimulate(exchange: Exchange, head: RequestHead, gate: Gate): Admission {
  const { method, entry } = exchange;
  if (method !== "POST") {
    throw new HttpError(405, `${method} is not supported on ${entry.path}`, { allow: "POST" });
  }
  const caller = gate.keys.authenticate(head.authorization);
  const endpoint = `POST ${SIMULATE_PATH}`;
  requirePermission(caller, SIMULATE_PERMISSION, endpoint);
  const query = parseQuery(queryPairs(exchange.search), {}, endpoint);
  const format = bodyFormat(head.contentType);
  return {
    caller,
    route: exchange.route!,
    query,
    format,
    maxBodyBytes: format === "yaml" ? gate.maxYamlBodyBytes : gate.maxBodyBytes,
    secretPaths: [],
  };
}

export function admitCompat(
  exchange: Exchange,
  head: RequestHead,
  compat: CompatRoute,
  gate: Gate,
): Admission {
  const { method, entry } = exchange;
  const endpoint = compat.methods[method];
  if (endpoint === undefined) {
    throw new HttpError(405, `${method} is not supported on ${entry.path}`, {
      allow: Object.keys(compat.methods).join(", "),
    });
  }
  const caller = gate.keys.authenticate(head.authorization);
  // A bad id or encoding is told to a caller with a key only.
  if (compat.malformed !== undefined) throw new HttpError(400, compat.malformed);
  const spec = ENDPOINTS[endpoint];
  const described = `${method} ${compat.pattern}`;
  requirePermission(caller, spec.permission, described);
  const compatQuery = parseCompatQuery(exchange.search, spec.query, described);
  const format = spec.body ? bodyFormat(head.contentType) : undefined;
  return {
    caller,
    route: exchange.route!,
    query: NO_QUERY,
    compatQuery,
    format,
    maxBodyBytes: format === "yaml" ? gate.maxYamlBodyBytes : gate.maxBodyBytes,
    secretPaths: [],
  };
}
