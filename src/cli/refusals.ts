/**
 * Immuta's refusals of a connection that another connection stands in the way of, as its
 * messages word them. In a module of their own: the apply step reads them on every failure,
 * without loading the rename logic.
 */

/** A second connectionKey for one connection: "You may only define data sources for the same connection once". */
export const SAME_CONNECTION = /same connection/i;

/** Data source names another connection holds (names are unique across a tenant). */
export const NAME_TAKEN = /data source name "[^"]*" is taken by connection "[^"]*"/;
