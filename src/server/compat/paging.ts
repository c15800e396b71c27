/** `offset` and `size` (or `noLimit`) of a compatibility route's list, as Immuta's lists page. */
import type { CompatQuery } from "./query";

/**
 * The page of a list a query asks for.
 * @param defaultSize how many items a list without `size` answers (undefined: all of them)
 */
export function page<T>(
  items: readonly T[],
  query: CompatQuery,
  defaultSize: number | undefined,
): T[] {
  const offset = typeof query.offset === "number" ? query.offset : 0;
  const size =
    query.noLimit === true ? undefined : typeof query.size === "number" ? query.size : defaultSize;
  return items.slice(offset, size === undefined ? undefined : offset + size);
}
