/**
 * State on disk: one file per object, `<dataDir>/<folder>/<encoded key>.json`, a folder per V2 kind
 * and one for the tags of the compatibility routes. Every write is atomic and durable: the new text
 * goes to a temporary file in the same directory, is fsynced, renamed over the old file, and the
 * directory is fsynced; a crash at any moment leaves the old file or the new one, never a torn one;
 * a write that fails (a full disk) removes its temporary file at once. A write touches only its own
 * object's file, so it costs the same with ten objects stored or a hundred thousand.
 *
 * A change of several objects at once (a connection deleted and the projects its data sources
 * leave) is committed as one: its files' texts are first written, as one file, to the journal
 * (`<dataDir>/journal/commit.json`, atomically as above); once that is durable the change is
 * committed, then applied file by file, then the journal is removed. A crash before the journal
 * is durable leaves none of the change; after, the next start applies the journal again (every
 * entry is a whole text or a removal, so applying twice is applying once). A journal whose
 * application failed (a full disk) is applied again before any later write, so that no later
 * write can be overwritten by it.
 *
 * The directory holds connection passwords: it is private to its owner (`DATA_DIR_MODE`,
 * `DATA_FILE_MODE`).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { UsageError } from "../errors";
import { KINDS, type Kind } from "../payload/kinds";
import { DATA_DIR_MODE, DATA_FILE_MODE } from "./choices";

const fsync = promisify(fs.fsync);
const TEMP_SUFFIX = ".tmp";

/** The folder of the tags that the compatibility routes create (`compat/tags.ts`). */
export const TAG_FOLDER = "tag";
export type Folder = Kind | typeof TAG_FOLDER;
export const FOLDERS: readonly Folder[] = [...KINDS, TAG_FOLDER];
const JOURNAL_DIR = "journal";
const JOURNAL_FILE = "commit.json";

/**
 * The file name of a key: hex of its UTF-8 bytes (safe on every file system, case-insensitive
 * ones included), or a hash when that would exceed file name limits. The key itself is stored
 * inside the file, so names never need decoding.
 */
export function fileNameOf(key: string): string {
  const hex = Buffer.from(key, "utf8").toString("hex");
  return hex.length <= 200
    ? `${hex}.json`
    : `sha256-${createHash("sha256").update(key).digest("hex")}.json`;
}

export interface StoredFile {
  readonly folder: Folder;
  readonly path: string;
  readonly text: string;
}

/** One object's new file text, or its removal (`text` undefined). */
export interface Change {
  readonly folder: Folder;
  readonly key: string;
  readonly text: string | undefined;
}

export class FileStore {
  private readonly dirs = new Map<Folder | typeof JOURNAL_DIR, number>();
  private counter = 0;
  /** A committed journal not yet wholly applied (its application failed). */
  private unapplied: readonly Change[] | undefined;

  constructor(private readonly root: string) {}

  /**
   * Creates the directories (durably, private to their owner), checks that each can be written,
   * removes temporary files a crash left behind, applies a journal a crash left committed, and
   * yields every stored file's text, one at a time. Synchronous: it runs once, before the server
   * listens. A directory that cannot be created or written is a `UsageError` naming it: a server
   * that would fail every write must not start.
   */
  *open(): Generator<StoredFile> {
    this.prepare(this.root, false);
    const dirs = [...FOLDERS, JOURNAL_DIR] as const;
    for (const dir of dirs) this.prepare(join(this.root, dir), true);
    for (const dir of dirs) this.dirs.set(dir, fs.openSync(join(this.root, dir), "r"));
    const root = fs.openSync(this.root, "r");
    try {
      fs.fsyncSync(root);
    } finally {
      fs.closeSync(root);
    }
    for (const dir of dirs) {
      for (const name of fs.readdirSync(join(this.root, dir))) {
        if (name.endsWith(TEMP_SUFFIX)) fs.rmSync(join(this.root, dir, name), { force: true });
      }
    }
    this.recover();
    for (const folder of FOLDERS) {
      const dir = join(this.root, folder);
      for (const name of fs.readdirSync(dir)) {
        const path = join(dir, name);
        if (name.endsWith(".json")) yield { folder, path, text: fs.readFileSync(path, "utf8") };
      }
    }
  }

  async write(folder: Folder, key: string, text: string): Promise<void> {
    await this.commit([{ folder, key, text }]);
  }

  async remove(folder: Folder, key: string): Promise<void> {
    await this.commit([{ folder, key, text: undefined }]);
  }

  /**
   * Makes the changes durable, all or none. Throws when nothing of them is committed (the disk
   * failing before the commit point); once committed, a failure to apply them is reported as a
   * warning and they are applied again before the next write (or at the next start).
   */
  async commit(changes: readonly Change[]): Promise<void> {
    await this.finishUnapplied();
    if (changes.length === 0) return;
    if (changes.length === 1) {
      await this.apply(changes);
      return;
    }
    await this.writeFile(JOURNAL_DIR, JOURNAL_FILE, JSON.stringify({ changes }));
    this.unapplied = changes;
    try {
      await this.finishUnapplied();
    } catch (error) {
      process.emitWarning(
        `immuta-v2 server: a committed change of ${changes.length} objects is not applied yet ` +
          `(it will be before the next write, or at the next start): ${(error as Error).message}`,
      );
    }
  }

  /**
   * Creates a directory private to its owner and proves it writable. An existing directory of ours
   * is narrowed to its owner too (group and others lose every right); an existing root is left as
   * it is (it may be a directory the user shares, such as the working directory), the directories
   * below it being enough to keep the files private.
   */
  private prepare(dir: string, ours: boolean): void {
    const refuse = (error: unknown): never => {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new UsageError(
        `data directory ${dir} cannot be written (${code}): the server keeps its state there; ` +
          `give one it can create and write`,
      );
    };
    try {
      fs.mkdirSync(dir, { recursive: true, mode: DATA_DIR_MODE });
      // Narrowed, never widened: a directory made read-only must stay so (and fail below).
      const mode = fs.statSync(dir).mode & 0o777;
      if (ours && (mode & ~DATA_DIR_MODE) !== 0) fs.chmodSync(dir, mode & DATA_DIR_MODE);
    } catch (error) {
      refuse(error);
    }
    if (!ours) return;
    const probe = join(dir, `.write-check.${process.pid}${TEMP_SUFFIX}`);
    try {
      const fd = fs.openSync(probe, "wx", DATA_FILE_MODE);
      try {
        fs.writeSync(fd, "ok");
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.rmSync(probe, { force: true });
    } catch (error) {
      fs.rmSync(probe, { force: true });
      refuse(error);
    }
  }

  close(): void {
    for (const fd of this.dirs.values()) fs.closeSync(fd);
    this.dirs.clear();
  }

  /** Applies a committed journal, then removes it; before anything else is written. */
  private async finishUnapplied(): Promise<void> {
    if (!this.unapplied) return;
    await this.apply(this.unapplied);
    await fs.promises.rm(join(this.root, JOURNAL_DIR, JOURNAL_FILE), { force: true });
    await this.syncDir(JOURNAL_DIR);
    this.unapplied = undefined;
  }

  private async apply(changes: readonly Change[]): Promise<void> {
    const touched = new Set<Folder>();
    for (const { folder, key, text } of changes) {
      touched.add(folder);
      if (text === undefined) {
        await fs.promises.rm(join(this.root, folder, fileNameOf(key)), { force: true });
      } else await this.writeFile(folder, fileNameOf(key), text, false);
    }
    for (const folder of touched) await this.syncDir(folder);
  }

  /** Writes a file atomically (temporary file, fsync, rename) and, unless told not to, durably. */
  private async writeFile(
    dir: Folder | typeof JOURNAL_DIR,
    name: string,
    text: string,
    sync = true,
  ): Promise<void> {
    const temp = join(this.root, dir, `.${name}.${process.pid}.${++this.counter}${TEMP_SUFFIX}`);
    try {
      const handle = await fs.promises.open(temp, "wx", DATA_FILE_MODE);
      try {
        await handle.writeFile(text, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.promises.rename(temp, join(this.root, dir, name));
    } catch (error) {
      // A full disk must not also fill up with partial files until the next restart.
      await fs.promises.rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
    if (sync) await this.syncDir(dir);
  }

  /** Applies the journal a crash left behind, at start, before anything is read. */
  private recover(): void {
    const path = join(this.root, JOURNAL_DIR, JOURNAL_FILE);
    if (!fs.existsSync(path)) return;
    let changes: Change[];
    try {
      changes = readJournal(fs.readFileSync(path, "utf8"));
    } catch (error) {
      throw new Error(`cannot load ${path}: ${(error as Error).message}`);
    }
    for (const { folder, key, text } of changes) {
      const target = join(this.root, folder, fileNameOf(key));
      if (text === undefined) {
        fs.rmSync(target, { force: true });
        continue;
      }
      const temp = `${target}.${process.pid}.recover${TEMP_SUFFIX}`;
      const fd = fs.openSync(temp, "w", DATA_FILE_MODE);
      try {
        fs.writeFileSync(fd, text, "utf8");
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temp, target);
    }
    for (const folder of new Set(changes.map((c) => c.folder))) {
      fs.fsyncSync(this.dirs.get(folder)!);
    }
    fs.rmSync(path);
    fs.fsyncSync(this.dirs.get(JOURNAL_DIR)!);
  }

  /** Makes the rename or unlink itself durable. */
  private async syncDir(dir: Folder | typeof JOURNAL_DIR): Promise<void> {
    const fd = this.dirs.get(dir);
    if (fd !== undefined) await fsync(fd);
  }
}

/** The changes a journal holds; throws naming what is wrong. */
function readJournal(text: string): Change[] {
  const parsed = JSON.parse(text) as { changes?: unknown };
  const changes = parsed?.changes;
  const valid =
    Array.isArray(changes) &&
    changes.every(
      (c: Record<string, unknown>) =>
        c !== null &&
        typeof c === "object" &&
        (FOLDERS as readonly unknown[]).includes(c.folder) &&
        typeof c.key === "string" &&
        (c.text === undefined || typeof c.text === "string"),
    );
  if (!valid) throw new Error("not a journal of changes ({ changes: [{ folder, key, text? }] })");
  return changes as Change[];
}
