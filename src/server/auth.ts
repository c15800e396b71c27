/**
 * Who is calling: the API key from the `Authorization` header, in either form Immuta's clients
 * send (the bare key, as the V2 docs show, or `Bearer <key>`, as Immuta's Terraform provider does).
 */
import { NO_KEY_MESSAGE } from "./choices";
import { HttpError } from "./http-error";
import { PERMISSIONS, type ApiKey, type Permission } from "./types";

export interface Caller {
  /** Each API key acts as the user named like the key. */
  readonly user: string;
  readonly permissions: ReadonlySet<Permission>;
}

const ALL: ReadonlySet<Permission> = new Set(PERMISSIONS);

export class Keys {
  private readonly callers = new Map<string, Caller>();

  /** With no keys configured, any key is accepted, with every permission. */
  constructor(keys: readonly ApiKey[] = []) {
    for (const { key, permissions } of keys) {
      if (key.trim() === "") throw new Error("an API key must not be empty");
      this.callers.set(key, { user: key, permissions: permissions ? new Set(permissions) : ALL });
    }
  }

  /** The caller of a request, or the 401 to answer. */
  authenticate(header: string | undefined): Caller {
    const key = keyOf(header);
    if (key === undefined) throw new HttpError(401, NO_KEY_MESSAGE);
    if (this.callers.size === 0) return { user: key, permissions: ALL };
    const caller = this.callers.get(key);
    if (!caller) throw new HttpError(401, "The API key is not valid for this server");
    return caller;
  }
}

function keyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = header.trim().replace(/^bearer\s+/i, "");
  return key === "" || /^bearer$/i.test(key) ? undefined : key;
}

/** Throws the 403 for a caller without the permission an endpoint needs. */
export function requirePermission(caller: Caller, permission: Permission, endpoint: string): void {
  if (!caller.permissions.has(permission)) {
    throw new HttpError(
      403,
      `This API key lacks the ${permission} permission, which ${endpoint} requires`,
    );
  }
}
