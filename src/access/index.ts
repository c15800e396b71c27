/**
 * The access simulator: given a tenant's V2 payloads and a user, who can see what, and why.
 * Pure (no cdktf, no server): `simulateAccess(tenant, user)` answers per data source; compile a
 * tenant once with `compileTenant` to simulate many users. The [ours] choices it rests on are in
 * `./choices`.
 */
export { compileTenant, simulateAccess } from "./simulate";
export { CompiledTenant } from "./tenant";
export { tenantFromPayloads } from "./from-payloads";
export * as accessChoices from "./choices";
export type * from "./types";
