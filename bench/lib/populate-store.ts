/**
 * A data directory holding N objects, written directly in the server's own file format
 * (`encodeRecord` and `fileNameOf` from the compiled server) rather than POSTed: a POST fsyncs
 * twice, so 100,000 of them would take longer than the whole bench may.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type * as Canonical from "../../src/payload/canonical";
import type * as Persist from "../../src/server/persist";
import type * as RecordFile from "../../src/server/record-file";
import type { PolicyRecord, PurposeRecord } from "../../src/server/records";
import { policyPayload, purposeName, purposePayload } from "./payloads";
import { REPO } from "./repo";

const lib = (path: string) => require(join(REPO, "lib", "src", path));

/**
 * Writes `count` objects into `dir`: purposes `Purpose 0` to `Purpose 9` first (what the bench
 * then updates), then purposes and policies alternately.
 */
export function populateStore(dir: string, count: number): void {
  const { encodeRecord } = lib("server/record-file") as typeof RecordFile;
  const { fileNameOf } = lib("server/persist") as typeof Persist;
  const { canonicalJson } = lib("payload/canonical") as typeof Canonical;
  for (const kind of ["data", "policy", "project", "purpose"]) {
    mkdirSync(join(dir, kind), { recursive: true });
  }
  const at = new Date().toISOString();
  for (let i = 0; i < count; i++) {
    const asPurpose = i < 10 || i % 2 === 0;
    let record: PurposeRecord | PolicyRecord;
    if (asPurpose) {
      const payload = purposePayload(i);
      record = {
        kind: "purpose",
        key: purposeName(i),
        id: i + 1,
        createdAt: at,
        updatedAt: at,
        payload: canonicalJson(payload),
        names: [payload.name, ...(payload.subpurposes ?? []).map((s) => s.name)],
        reAcknowledgementRequired: false,
      };
    } else {
      const payload = policyPayload(i);
      record = {
        kind: "policy",
        key: payload.policyKey,
        id: i + 1,
        createdAt: at,
        updatedAt: at,
        payload: canonicalJson(payload),
        recertificationRequired: false,
      };
    }
    writeFileSync(join(dir, record.kind, fileNameOf(record.key)), encodeRecord(record));
  }
}

/** The purposes every store holds, which the store scenario's POSTs update. */
export const STORED_PURPOSES = Array.from({ length: 10 }, (_, i) => purposeName(i));
