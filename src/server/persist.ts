/**
 * State on disk: one file per object, `<dataDir>/<kind>/<encoded key>.json`. Every write is atomic
 * and durable: the new text goes to a temporary file in the same directory, is fsynced, renamed
 * over the old file, and the directory is fsynced; a crash at any moment leaves the old file or the
 * new one, never a torn one; a write that fails (a full disk) removes its temporary file at once.
 * A write touches only its own object's file, so it costs the same with ten objects stored or a
 * hundred thousand. The directory holds connection passwords: it is private to its owner
 * (`DATA_DIR_MODE`, `DATA_FILE_MODE`).
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
  readonly path: string;
  readonly text: string;
}

export class FileStore {
  private readonly dirs = new Map<Kind, number>();
  private counter = 0;

  constructor(private readonly root: string) {}

  /**
   * Creates the directories (durably, private to their owner), checks that each can be written,
   * removes temporary files a crash left behind, and yields every stored file's text, one at a
   * time. Synchronous: it runs once, before the server listens. A directory that cannot be
   * created or written is a `UsageError` naming it: a server that would fail every write must not
   * start.
   */
  *open(): Generator<StoredFile> {
    this.prepare(this.root, false);
    for (const kind of KINDS) this.prepare(join(this.root, kind), true);
    for (const kind of KINDS) this.dirs.set(kind, fs.openSync(join(this.root, kind), "r"));
    const root = fs.openSync(this.root, "r");
    try {
      fs.fsyncSync(root);
    } finally {
      fs.closeSync(root);
    }
    for (const kind of KINDS) {
      const dir = join(this.root, kind);
      for (const name of fs.readdirSync(dir)) {
        const path = join(dir, name);
        if (name.endsWith(TEMP_SUFFIX)) fs.rmSync(path, { force: true });
        else if (name.endsWith(".json")) yield { path, text: fs.readFileSync(path, "utf8") };
      }
    }
  }

  async write(kind: Kind, key: string, text: string): Promise<void> {
    const dir = join(this.root, kind);
    const name = fileNameOf(key);
    const temp = join(dir, `.${name}.${process.pid}.${++this.counter}${TEMP_SUFFIX}`);
    try {
      const handle = await fs.promises.open(temp, "wx", DATA_FILE_MODE);
      try {
        await handle.writeFile(text, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.promises.rename(temp, join(dir, name));
    } catch (error) {
      // A full disk must not also fill up with partial files until the next restart.
      await fs.promises.rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
    await this.syncDir(kind);
  }

  async remove(kind: Kind, key: string): Promise<void> {
    await fs.promises.rm(join(this.root, kind, fileNameOf(key)), { force: true });
    await this.syncDir(kind);
  }

  /**
   * Creates a directory private to its owner and proves it writable. An existing kind directory
   * (ours) is narrowed to its owner too (group and others lose every right); an existing root is left as it is (it may be a directory
   * the user shares, such as the working directory), the kind directories below it being enough to
   * keep the files private.
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

  /** Makes the rename or unlink itself durable. */
  private async syncDir(kind: Kind): Promise<void> {
    const fd = this.dirs.get(kind);
    if (fd !== undefined) await fsync(fd);
  }
}
