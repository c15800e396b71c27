/**
 * Data written before keys had user names holds, as the owner of each connection, the API key of
 * whoever posted it. On start such owners are renamed to the user their key now acts as (known
 * when the key is configured), so that no GET returns a key, and the file is written again so that
 * none stays on disk.
 */
import type { DataSourcePayload } from "../payload/types";
import type { Keys } from "./auth";
import { settingsOf } from "./data-sources";
import type { ConnectionRecord, OwnerState } from "./records";

/** The record with key-named owners renamed; the same record when it has none. */
export function renameKeyOwners(record: ConnectionRecord, keys: Keys): ConnectionRecord {
  let renamed = false;
  const owners = record.owners.map((owner): OwnerState => {
    const user = owner.type === "user" ? keys.userNamedByKey(owner.name) : undefined;
    if (user === undefined) return owner;
    renamed = true;
    return { ...owner, name: user };
  });
  if (!renamed) return record;
  // Two keys of one user, both owners, become one owner.
  const unique = [...new Map(owners.map((o) => [`${o.type}\0${o.name}`, o])).values()];
  return {
    ...record,
    owners: unique,
    settings: settingsOf(JSON.parse(record.payload) as DataSourcePayload, unique),
  };
}
