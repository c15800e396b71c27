/**
 * A local state file that a killed deploy left empty. Terraform's local backend rewrites its state
 * file in place, truncating it first; a deploy killed (SIGKILL) at that moment leaves it empty,
 * and the next plan takes the stack for a new one (and, applied, starts a new state: another
 * lineage, nothing in it). Its backup (`<path>.backup`, the state as it was before that deploy's
 * first write) still holds what the stack managed. Remote backends write whole states and are
 * not concerned.
 */
import { copyFileSync, readFileSync, renameSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/** The stack's local state file, from its synthesized backend; undefined for other backends. */
export function localStatePath(stackDir: string): string | undefined {
  let config: { terraform?: { backend?: Record<string, { path?: string }> } };
  try {
    config = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
  } catch {
    return undefined;
  }
  const backends = config.terraform?.backend;
  // No backend block at all is Terraform's default: local, terraform.tfstate.
  if (backends && !backends.local) return undefined;
  return resolve(stackDir, backends?.local?.path ?? "terraform.tfstate");
}

interface StateFile {
  readonly lineage?: string;
  readonly resources?: readonly unknown[];
}

/** A state file's content, or undefined when it is empty or does not read as JSON. */
function read(file: string): StateFile | undefined {
  try {
    const text = readFileSync(file, "utf8");
    const value = text.trim() === "" ? undefined : (JSON.parse(text) as unknown);
    return value !== null && typeof value === "object" ? (value as StateFile) : undefined;
  } catch {
    return undefined;
  }
}

/** How often, and how far apart, a lost-looking state file is read before the loss is believed. */
const READS = { times: 4, apartMs: 150 };

/**
 * The backup to restore when the state file is there but empty or cut short, or was begun anew
 * (another lineage than its backup's, holding fewer resources); else undefined.
 *
 * Terraform rewrites the file in place after every resource of an apply, so a step running beside
 * other resources can catch it empty for an instant: the loss is believed only when it reads so
 * several times over, apart.
 */
export async function truncatedState(
  stackDir: string,
  reads = READS,
): Promise<{ state: string; backup: string } | undefined> {
  for (let read = 1; ; read++) {
    const lost = lostState(stackDir);
    if (!lost || read >= reads.times) return lost;
    await new Promise((resolve) => setTimeout(resolve, reads.apartMs));
  }
}

function lostState(stackDir: string): { state: string; backup: string } | undefined {
  const state = localStatePath(stackDir);
  if (!state) return undefined;
  try {
    statSync(state);
  } catch {
    return undefined; // never written: a stack not deployed yet
  }
  const backup = `${state}.backup`;
  const [now, before] = [read(state), read(backup)];
  if (!before?.resources?.length) return undefined;
  const lost =
    now === undefined ||
    (now.lineage !== before.lineage && (now.resources ?? []).length < before.resources.length);
  return lost ? { state, backup } : undefined;
}

/** Puts the backup back, keeping the damaged file beside it; returns where that went. */
export function restoreFromBackup(files: { state: string; backup: string }): string {
  const damaged = `${files.state}.damaged-${Date.now()}`;
  renameSync(files.state, damaged);
  copyFileSync(files.backup, files.state);
  return damaged;
}
