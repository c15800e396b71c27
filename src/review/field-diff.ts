/**
 * Which fields of a payload differ, as `path: before → after` lines for a reviewer: what drift
 * shows for an object changed outside Terraform, and what the plan shows for a changed payload.
 * Secrets are redacted on both sides before comparing, so a secret is never printed, and a
 * secret that merely reads differently (a placeholder against `[redacted]`) is not a change.
 */
import { redactPayload } from "../payload/secrets";

export interface FieldChange {
  readonly path: string;
  /** Undefined: the field is absent on that side. */
  readonly before?: unknown;
  readonly after?: unknown;
}

/** At most this many changes are listed per object; the rest are counted. */
export const MAX_FIELD_CHANGES = 20;

/** Fields the embedded server adds to what it was sent (GET): not part of the payload. */
const SERVER_FIELDS = new Set([
  "id",
  "createdAt",
  "updatedAt",
  "dataOwners",
  "dataSources",
  "recertificationRequired",
  "deleteDataSourcesOnWorkspaceDelete",
  "reAcknowledgementRequired",
]);

/** A stored object (as GET returns it) reduced to its payload. */
export function storedPayload(stored: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(stored).filter(([k]) => !SERVER_FIELDS.has(k)));
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const isSecretPlaceholder = (v: unknown) =>
  v === "[redacted]" || (isObject(v) && Object.keys(v).length === 1 && "$env" in v);

export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const changes: FieldChange[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (isSecretPlaceholder(a) && isSecretPlaceholder(b)) return;
    if (isObject(a) && isObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const k of keys) walk(a[k], b[k], path ? `${path}.${k}` : k);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`);
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      changes.push({ path: path || "(payload)", before: a, after: b });
    }
  };
  walk(redactPayload(before), redactPayload(after), "");
  return changes;
}

const shown = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v));

/** `sources[2].table: "orders" → "payments"`, at most MAX_FIELD_CHANGES, then a count. */
export function fieldLines(changes: readonly FieldChange[]): string[] {
  const lines = changes
    .slice(0, MAX_FIELD_CHANGES)
    .map((c) => `${c.path}: ${shown(c.before)} → ${shown(c.after)}`);
  if (changes.length > MAX_FIELD_CHANGES) {
    lines.push(`… and ${changes.length - MAX_FIELD_CHANGES} more fields`);
  }
  return lines;
}
