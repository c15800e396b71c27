/**
 * The two objects Immuta documents only in part, whose schemas are therefore ours to keep up to
 * date: a data source's `connection` (per technology) and a data-policy rule's `config` (per rule
 * type). Only they may be marked `"$unchecked": true`; and the embedded server, which cannot see
 * that mark (the client removes it), lets what it does not know in them through.
 */
import type { Kind } from "../kinds";

export interface OpenObject {
  /** Matches the JSON pointer of the object itself, and of anything inside it. */
  readonly pointer: RegExp;
  /** How messages name it: "mark the connection unchecked". */
  readonly label: string;
}

export const OPEN_OBJECTS: Partial<Record<Kind, OpenObject>> = {
  data: { pointer: /^\/connection(?=\/|$)/, label: "connection" },
  policy: { pointer: /^\/actions\/\d+\/rules\/\d+\/config(?=\/|$)/, label: "rule's config" },
};

/** The pointer of the open object at or around `pointer`, if there is one. */
export function openObjectAt(kind: Kind, pointer: string): string | undefined {
  return OPEN_OBJECTS[kind]?.pointer.exec(pointer)?.[0];
}

/** Every open object of a payload, with its path segments (for the server's marker check). */
export function openObjectsOf(
  kind: Kind,
  payload: unknown,
): { segments: string[]; value: unknown }[] {
  const fields = asRecord(payload);
  if (!fields) return [];
  if (kind === "data") return [{ segments: ["connection"], value: fields.connection }];
  if (kind !== "policy" || !Array.isArray(fields.actions)) return [];
  const found: { segments: string[]; value: unknown }[] = [];
  fields.actions.forEach((action, a) => {
    const rules = asRecord(action)?.rules;
    if (!Array.isArray(rules)) return;
    rules.forEach((rule, r) => {
      found.push({
        segments: ["actions", String(a), "rules", String(r), "config"],
        value: asRecord(rule)?.config,
      });
    });
  });
  return found;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
