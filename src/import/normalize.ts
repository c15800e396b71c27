/**
 * From what a source gives to the payload that would recreate it: a tenant's GET adds its own
 * fields (`id`, `createdAt`, data source statuses, ...), a file may carry an editor's `$schema`.
 * The payload is what POSTing would send, so a field the payload schema does not have is the
 * server's, and is dropped; a file's fields are kept as they are, so that a typo is reported by
 * validation rather than silently lost.
 */
import { payloadSchema } from "../payload/schema";
import type { Kind } from "../payload/kinds";
import type { RawObject, ReportedDataSource, TenantFacts } from "./model";

const payloadFields = new Map<Kind, ReadonlySet<string>>();

/** The top-level fields of a kind's payload, from its schema (the editor's `$schema` aside). */
function fieldsOf(kind: Kind): ReadonlySet<string> {
  let fields = payloadFields.get(kind);
  if (!fields) {
    const properties = (payloadSchema(kind).properties ?? {}) as Record<string, unknown>;
    fields = new Set(Object.keys(properties).filter((field) => field !== "$schema"));
    payloadFields.set(kind, fields);
  }
  return fields;
}

export interface Normalized {
  /** In the source's field order: the tenant compares a connection's payload as sent. */
  readonly payload: Record<string, unknown>;
  readonly facts: TenantFacts;
}

export function normalize(raw: RawObject): Normalized {
  const keep = raw.fromServer ? fieldsOf(raw.kind) : undefined;
  const payload: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(raw.value)) {
    if (field === "$schema") continue;
    if (keep && !keep.has(field)) continue;
    payload[field] = value;
  }
  return { payload, facts: raw.fromServer ? tenantFacts(raw) : {} };
}

function tenantFacts(raw: RawObject): TenantFacts {
  if (raw.kind === "project" && raw.value.deleteDataSourcesOnWorkspaceDelete === true) {
    return { deleteDataSourcesOnWorkspaceDelete: true };
  }
  if (raw.kind === "data" && Array.isArray(raw.value.dataSources)) {
    const dataSources: ReportedDataSource[] = [];
    for (const item of raw.value.dataSources as unknown[]) {
      if (item === null || typeof item !== "object") continue;
      const { name, schema, table } = item as Record<string, unknown>;
      if (typeof name !== "string") continue;
      dataSources.push({
        name,
        ...(typeof schema === "string" && typeof table === "string" ? { schema, table } : {}),
      });
    }
    return { dataSources };
  }
  return {};
}
