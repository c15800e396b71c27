import { UsageError } from "../errors";
import { KINDS, isKind, type Kind } from "../payload/kinds";

/** `--kind`: required, one of the four kinds. */
export function requireKind(value: string | undefined): Kind {
  if (value === undefined) throw new UsageError(`--kind is required (one of ${KINDS.join(", ")})`);
  if (!isKind(value)) {
    throw new UsageError(`--kind must be one of ${KINDS.join(", ")} (got "${value}")`);
  }
  return value;
}
