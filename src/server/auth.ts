/**
 * Who is calling: the API key from the `Authorization` header, in either form Immuta's clients
 * send (the bare key, as the V2 docs show, or `Bearer <key>`, as Immuta's Terraform provider does),
 * and the user it acts as. Keys are held only as their SHA-256: the server names users, never
 * keys, so that no key reaches a response, a stored file or a log.
 */
import { createHash } from "node:crypto";
import { NO_KEY_MESSAGE, UNNAMED_USER_HASH_DIGITS, UNNAMED_USER_PREFIX } from "./choices";
import { HttpError } from "./http-error";
import { PERMISSIONS, type ApiKey, type Permission } from "./types";

export interface Caller {
  /** The user the key acts as (see `ApiKey.user`). */
  readonly user: string;
  readonly permissions: ReadonlySet<Permission>;
}

const ALL: ReadonlySet<Permission> = new Set(PERMISSIONS);
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The SHA-256 of a key, as lower-case hex. */
export function keySha256(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** The user a key without a configured name acts as. */
export function unnamedUser(sha256: string): string {
  return `${UNNAMED_USER_PREFIX}${sha256.slice(0, UNNAMED_USER_HASH_DIGITS)}`;
}

export class Keys {
  /** SHA-256 of each key → its caller. */
  private readonly callers = new Map<string, Caller>();

  /** With no keys configured, any key is accepted, with every permission. */
  constructor(keys: readonly ApiKey[] = []) {
    keys.forEach((apiKey, i) => {
      const { sha256, caller } = checkKey(apiKey, `apiKeys[${i}]`);
      if (this.callers.has(sha256)) {
        throw new Error(`apiKeys[${i}]: the same key is configured twice`);
      }
      this.callers.set(sha256, caller);
    });
  }

  /** The caller of a request, or the 401 to answer. */
  authenticate(header: string | undefined): Caller {
    const key = keyOf(header);
    if (key === undefined) throw new HttpError(401, NO_KEY_MESSAGE);
    const sha256 = keySha256(key);
    if (this.callers.size === 0) return { user: unnamedUser(sha256), permissions: ALL };
    const caller = this.callers.get(sha256);
    if (!caller) throw new HttpError(401, "The API key is not valid for this server");
    return caller;
  }

  /**
   * The user a name stands for when the name is itself a configured key: data written before keys
   * had names holds the key of whoever posted it as an owner.
   */
  userNamedByKey(name: string): string | undefined {
    return this.callers.get(keySha256(name))?.user;
  }
}

function checkKey(apiKey: ApiKey, at: string): { sha256: string; caller: Caller } {
  const { key, keySha256: given, permissions, user } = apiKey;
  if ((key === undefined) === (given === undefined)) {
    throw new Error(`${at}: give either key or keySha256`);
  }
  if (key !== undefined && key.trim() === "") throw new Error(`${at}: the key is empty`);
  if (given !== undefined && !SHA256_HEX.test(given.toLowerCase())) {
    throw new Error(`${at}: keySha256 must be 64 hexadecimal digits`);
  }
  for (const permission of permissions ?? []) {
    if (!ALL.has(permission)) {
      throw new Error(
        `${at}: unknown permission ${JSON.stringify(permission)} (use ${PERMISSIONS.join(", ")})`,
      );
    }
  }
  const sha256 = key !== undefined ? keySha256(key) : given!.toLowerCase();
  if (user !== undefined) {
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    if (user.trim() === "" || user.length > 256 || /[\u0000-\u001f\u007f]/.test(user)) {
      throw new Error(`${at}: a user name is 1 to 256 printable characters`);
    }
    // A name is shown to every caller: it must not carry the key.
    if (key !== undefined && user.includes(key)) {
      throw new Error(`${at}: the user name must not contain the key`);
    }
  }
  return {
    sha256,
    caller: {
      user: user ?? unnamedUser(sha256),
      permissions: permissions ? new Set(permissions) : ALL,
    },
  };
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
