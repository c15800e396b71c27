/**
 * A users file for `immuta-v2 serve --users FILE`: who may call the server, by name, with which
 * permissions, without putting a key on the command line (where every user of the machine can
 * read it in the process list). YAML or JSON:
 *
 * ```yaml
 * users:
 *   - name: ci-deployer
 *     key: { $env: IMMUTA_CI_KEY }      # the key from serve's environment
 *   - name: steward
 *     keySha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 *     permissions: [GOVERNANCE]
 * ```
 *
 * Each entry gives one key (`key`, in clear or as a placeholder, or `keySha256`, so that the file
 * holds no secret at all); a user with several keys (during a rotation) has several entries.
 */
import type { Problem } from "../errors";
import { formatProblem } from "../errors";
import { isEnvSecret } from "../payload/secrets";
import { PERMISSIONS, type ApiKey, type Permission } from "./types";

const FIELDS = new Set(["name", "key", "keySha256", "permissions"]);

export interface UsersFile {
  readonly keys: ApiKey[];
  /** Whether some key is written in the file in clear (the file must then be private). */
  readonly clearKeys: boolean;
}

/**
 * The keys a parsed users file configures. Throws an Error listing every problem (never a key's
 * value); `source` names the file in it.
 */
export function readUsersFile(value: unknown, source: string, env: NodeJS.ProcessEnv): UsersFile {
  const problems: Problem[] = [];
  const keys: ApiKey[] = [];
  let clearKeys = false;
  const users = (value as { users?: unknown } | null)?.users;
  if (
    value === null ||
    typeof value !== "object" ||
    Array.isArray(value) ||
    !Array.isArray(users) ||
    Object.keys(value).some((k) => k !== "users")
  ) {
    throw new Error(`${source}: a users file holds one field, users: a list of users`);
  }
  users.forEach((entry: unknown, i) => {
    const at = `users[${i}]`;
    const problem = (field: string, message: string) =>
      problems.push({ path: field === "" ? at : `${at}.${field}`, message });
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      return problem("", "must be an object: { name, key or keySha256, permissions? }");
    }
    const { name, key, keySha256, permissions } = entry as Record<string, unknown>;
    for (const field of Object.keys(entry)) {
      if (!FIELDS.has(field))
        problem(field, "unknown field (allowed: name, key, keySha256, permissions)");
    }
    if (typeof name !== "string" || name.trim() === "")
      problem("name", "required: the user's name");
    if ((key === undefined) === (keySha256 === undefined)) {
      problem("", "give either key or keySha256");
    }
    let clear: string | undefined;
    if (isEnvSecret(key)) {
      clear = env[key.$env];
      if (clear === undefined || clear === "") {
        problem(
          "key",
          `environment variable ${key.$env} is ${clear === undefined ? "not set" : "empty"}`,
        );
      }
    } else if (typeof key === "string") {
      clear = key;
      clearKeys = true;
      if (key.trim() === "") problem("key", "must not be empty");
    } else if (key !== undefined) {
      problem("key", 'must be the key, or { "$env": NAME } naming the variable that holds it');
    }
    if (
      keySha256 !== undefined &&
      (typeof keySha256 !== "string" || !/^[0-9a-fA-F]{64}$/.test(keySha256))
    ) {
      problem("keySha256", "must be the key's SHA-256, 64 hexadecimal digits");
    }
    if (
      permissions !== undefined &&
      (!Array.isArray(permissions) ||
        permissions.some((p) => !(PERMISSIONS as readonly unknown[]).includes(p)))
    ) {
      problem("permissions", `must be a list of ${PERMISSIONS.join(", ")}`);
    }
    keys.push({
      key: clear,
      keySha256: typeof keySha256 === "string" ? keySha256.toLowerCase() : undefined,
      permissions: permissions as Permission[] | undefined,
      user: name as string,
    });
  });
  if (users.length === 0) problems.push({ path: "users", message: "lists no user" });
  if (problems.length > 0) {
    throw new Error(
      `${source}: not a valid users file:\n  ${problems.map(formatProblem).join("\n  ")}`,
    );
  }
  return { keys, clearKeys };
}
