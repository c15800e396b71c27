/**
 * Taking part of a tenant: `--only KIND` and `--key PATTERN`, where a pattern is a glob on the
 * whole key (`*` any run of characters, `?` one character; everything else literal).
 */
import { UsageError } from "../errors";
import { KINDS, isKind, type Kind } from "../payload/kinds";

export interface Selection {
  /** Undefined: every kind. */
  readonly kinds?: ReadonlySet<Kind>;
  /** Undefined: every key; otherwise a key must match one of them. */
  readonly keys?: readonly RegExp[];
}

/** A selection from the flags' values (each flag repeatable, values comma-separated for kinds). */
export function selection(only: readonly string[] = [], keys: readonly string[] = []): Selection {
  const kinds = only.flatMap((value) => value.split(",")).map((value) => value.trim());
  for (const kind of kinds) {
    if (!isKind(kind)) {
      throw new UsageError(`--only must be one of ${KINDS.join(", ")} (got "${kind}")`);
    }
  }
  return {
    kinds: kinds.length > 0 ? new Set(kinds as Kind[]) : undefined,
    keys: keys.length > 0 ? keys.map(globPattern) : undefined,
  };
}

export function selects(selection: Selection, kind: Kind, key: string): boolean {
  if (selection.kinds && !selection.kinds.has(kind)) return false;
  return !selection.keys || selection.keys.some((pattern) => pattern.test(key));
}

export function selectsKind(selection: Selection, kind: Kind): boolean {
  return !selection.kinds || selection.kinds.has(kind);
}

function globPattern(glob: string): RegExp {
  const source = [...glob]
    .map((c) => (c === "*" ? "[^]*" : c === "?" ? "[^]" : c.replace(/[.+^${}()|[\]\\/]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "u");
}
