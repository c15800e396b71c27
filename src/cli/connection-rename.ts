/**
 * A renamed `connectionKey`. Immuta refuses a second key for a connection it already has ("You may
 * only define data sources for the same connection once"), and Terraform does not order the old
 * key's destroy against the new key's create. So the old key's destroy step leaves it alone when
 * the code declares the same connection under another key (`renamedTo`), and the new key's apply
 * step, refused, deletes the old key (its data sources leave the projects naming them), creates
 * the new one, and puts the data sources back into those projects. Only keys this stack managed
 * and no longer declares are candidates: the same handler, hostname and database where the state
 * still has the old payload, else the key the refusal names, else the only one.
 */
import { canonicalJson } from "../payload/canonical";
import type { ImmutaClient } from "../client/client";
import { ApiError } from "../errors";
import { parseEntryName, recordOutputName } from "../layout/names";
import { tenantObjects } from "../layout/state";
import type { ProjectPayload } from "../payload/types";
import type { Io } from "./io";
import { applyOutcome, subject } from "./outcome";
import { sendable } from "./sendable";
import { declaredObjects } from "./stack-config-file";
import { NAME_TAKEN } from "./refusals";
import { pullState } from "./terraform";

type Connection = { handler?: unknown; hostname?: unknown; database?: unknown };

function sameConnection(a: unknown, b: unknown): boolean {
  const of = (p: unknown) =>
    ((p as { connection?: Connection } | null)?.connection ?? {}) as Connection;
  const norm = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : (v ?? ""));
  const [x, y] = [of(a), of(b)];
  return (["handler", "hostname", "database"] as const).every((f) => norm(x[f]) === norm(y[f]));
}

export interface Retirement {
  /** The old keys deleted (none: the refusal is not a rename, and stands). */
  readonly retired: readonly string[];
  /** Puts the old data sources back into projects: run once the new connection exists. */
  restoreProjects(): Promise<void>;
}

/**
 * The key the code now declares for the same connection as `payload` (under a key other than
 * `key`), when there is one: this key was renamed, and the new key's step deletes it.
 */
export function renamedTo(
  stackDir: string,
  prefix: string,
  key: string,
  payload: unknown,
): string | undefined {
  const declared = declaredObjects(stackDir, prefix, "data") ?? [];
  return declared.find(
    (d) => d.key !== key && d.payload !== undefined && sameConnection(d.payload, payload),
  )?.key;
}

/** Deletes the connections this tenant no longer declares that are the same connection as `payload`. */
export async function retireRenamedConnection(
  prefix: string,
  key: string,
  payload: unknown,
  refusal: string,
  client: ImmutaClient,
  io: Io,
  secrets: { add(...values: string[]): void },
): Promise<Retirement> {
  const none: Retirement = { retired: [], restoreProjects: async () => {} };
  const declared = declaredObjects(io.cwd, prefix, "data");
  if (!declared) return none;
  const state = await pullState(io.cwd, io.env);
  const stillDeclared = new Set(declared.map((d) => d.key));
  const objects = tenantObjects(state, prefix);
  // Keys this tenant had and no longer declares: in its state still, or (destroyed already) in
  // its last confirmation.
  const record = state.outputs[recordOutputName(prefix)] as { digests?: object } | undefined;
  const recorded = Object.keys(record?.digests ?? {})
    .map(parseEntryName)
    .filter((e) => e?.kind === "data")
    .map((e) => e!.key);
  const candidates = [
    ...new Set([...objects.filter((o) => o.kind === "data").map((o) => o.key), ...recorded]),
  ].filter((k) => k !== key && !stillDeclared.has(k));
  const payloadOf = (k: string) => objects.find((o) => o.kind === "data" && o.key === k)?.payload;
  const named = candidates.filter((k) => refusal.includes(`"${k}"`));
  // A leaving connection whose data sources hold the names the new one takes (Immuta names data
  // sources uniquely): the refusal names it, whatever its host.
  const nameTaken = NAME_TAKEN.test(refusal);
  const retired = candidates.filter((k) =>
    nameTaken
      ? named.includes(k)
      : payloadOf(k) !== undefined
        ? sameConnection(payloadOf(k), payload)
        : named.length > 0
          ? named.includes(k)
          : candidates.length === 1,
  );
  const projects = new Set<string>();
  for (const old of retired) {
    let response: { removedFromProjects?: { projectKey: string }[] } = {};
    try {
      response = (await client.delete("data", old)) as typeof response;
    } catch (error) {
      // Gone already (its own destroy step, before it learnt of the rename): nothing to free.
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
    }
    for (const p of response.removedFromProjects ?? []) projects.add(p.projectKey);
    io.stdout.write(
      `${subject("data", old)}: deleted first: ` +
        (nameTaken
          ? `its data sources hold names "${key}" takes (the code no longer declares it)\n`
          : `it is the same connection as "${key}" (a renamed connectionKey; Immuta allows ` +
            "one key per connection)\n"),
    );
  }
  if (retired.length === 0) return none;
  // Their data sources go back into the projects that named them, as last applied. A project
  // the code no longer declares, or declares otherwise, is left: it is deleted, or applied again
  // by its own step, later in this deploy (its last payload may name what this deploy removes).
  const declaredProjects = declaredObjects(io.cwd, prefix, "project") ?? [];
  const restoreProjects = async () => {
    for (const projectKey of [...projects].sort()) {
      const applied = objects.find((o) => o.kind === "project" && o.key === projectKey);
      const declared = declaredProjects.find((d) => d.key === projectKey);
      if (applied?.payload && !declared) continue;
      const changed =
        declared?.payload !== undefined &&
        applied?.payload !== undefined &&
        canonicalJson(declared.payload) !== canonicalJson(applied.payload);
      if (changed) continue;
      if (!applied?.payload) {
        io.stderr.write(
          `warning: ${subject("project", projectKey)} lost the data sources of the old ` +
            `connection and is not managed by this stack: apply it again\n`,
        );
        continue;
      }
      const resolved = sendable(applied.payload, io.env, secrets);
      const response = await client.apply(
        "project",
        resolved.payload as ProjectPayload,
        {},
        resolved.options,
      );
      io.stdout.write(
        `${applyOutcome("project", projectKey, response, false)} (data sources named again)\n`,
      );
    }
  };
  return { retired, restoreProjects };
}
