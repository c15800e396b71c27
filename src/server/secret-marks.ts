/**
 * Values a client marked as secrets (the `x-immuta-secret-paths` header: where the values it
 * resolved from `$env` placeholders sit), kept with the object so that GET shows them as
 * "[redacted]" whatever their field. Only marks that point at a value are kept. A mark outlives a
 * POST that does not repeat it while the value there stays the same: a client that marks nothing
 * (Immuta's own Terraform provider, curl) must not unveil a secret by sending it again.
 */
import type { SecretPath } from "../payload/secrets";

/** The value at a path, or undefined. */
function valueAt(root: unknown, path: SecretPath): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

const pathId = (path: SecretPath) => JSON.stringify(path);

/**
 * The marks to store with a payload: those sent that point at a value, and those stored before
 * whose value is unchanged. `previous` is the stored payload's JSON, parsed only when it had marks.
 */
export function secretMarks(
  payload: unknown,
  sent: readonly SecretPath[],
  previous: { readonly payload: string; readonly secretPaths?: readonly SecretPath[] } | undefined,
): SecretPath[] {
  const marks = new Map<string, SecretPath>();
  for (const path of sent) {
    if (path.length > 0 && valueAt(payload, path) !== undefined) marks.set(pathId(path), path);
  }
  if (previous?.secretPaths && previous.secretPaths.length > 0) {
    const before = JSON.parse(previous.payload) as unknown;
    for (const path of previous.secretPaths) {
      const value = valueAt(payload, path);
      if (value !== undefined && value === valueAt(before, path)) marks.set(pathId(path), path);
    }
  }
  return [...marks.values()];
}

/** Whether two lists of marks hold the same paths. */
export function sameMarks(
  a: readonly SecretPath[] | undefined,
  b: readonly SecretPath[] | undefined,
): boolean {
  const left = new Set((a ?? []).map(pathId));
  const right = (b ?? []).map(pathId);
  return left.size === new Set(right).size && right.every((id) => left.has(id));
}
