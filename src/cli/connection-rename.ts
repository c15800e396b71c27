/**
 * A renamed `connectionKey`. Immuta refuses a second key for a connection it already has ("You may
 * only define data sources for the same connection once"), and the old key, no longer in the code,
 * would only be deleted after the new one was created. So when that refusal comes, the apply step
 * deletes the old key first (its data sources leave the projects that named them), creates the new
 * one, and puts the data sources back into those projects. Only keys this stack managed before and
 * no longer declares are candidates, and only those with the same handler, hostname and database.
 */
import type { ImmutaClient } from "../client/client";
import { tenantObjects } from "../layout/state";
import { resolveSecrets } from "../payload/secrets";
import type { ProjectPayload } from "../payload/types";
import type { Io } from "./io";
import { applyOutcome, subject } from "./outcome";
import { declaredObjects } from "./stack-config-file";
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

/** Deletes the connections this tenant no longer declares that are the same connection as `payload`. */
export async function retireRenamedConnection(
  prefix: string,
  key: string,
  payload: unknown,
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
  const retired = objects.filter(
    (o) => o.kind === "data" && !stillDeclared.has(o.key) && sameConnection(o.payload, payload),
  );
  const projects = new Set<string>();
  for (const old of retired) {
    const response = (await client.delete("data", old.key)) as {
      removedFromProjects?: { projectKey: string }[];
    };
    for (const p of response.removedFromProjects ?? []) projects.add(p.projectKey);
    io.stdout.write(
      `${subject("data", old.key)}: deleted first: it is the same connection as "${key}" ` +
        `(a renamed connectionKey; Immuta allows one key per connection)\n`,
    );
  }
  if (retired.length === 0) return none;
  // Their data sources go back into the projects that named them, as last applied; a project
  // this deploy changes is applied again after this step anyway.
  const restoreProjects = async () => {
    for (const projectKey of [...projects].sort()) {
      const applied = objects.find((o) => o.kind === "project" && o.key === projectKey);
      if (!applied?.payload) {
        io.stderr.write(
          `warning: ${subject("project", projectKey)} lost the data sources of the old ` +
            `connection and is not managed by this stack: apply it again\n`,
        );
        continue;
      }
      const resolved = resolveSecrets(applied.payload, io.env);
      secrets.add(...resolved.secretValues);
      const response = await client.apply("project", resolved.payload as ProjectPayload, {});
      io.stdout.write(
        `${applyOutcome("project", projectKey, response, false)} (data sources named again)\n`,
      );
    }
  };
  return { retired: retired.map((o) => o.key), restoreProjects };
}
