/**
 * State on disk: one file per object, `<dataDir>/<kind>/<encoded key>.json`. Every write is atomic
 * and durable: the new text goes to a temporary file in the same directory, is fsynced, renamed
 * over the old file, and the directory is fsynced; a crash at any moment leaves the old file or the
 * new one, never a torn one. A write touches only its own object's file, so it costs the same
 * with ten objects stored or a hundred thousand.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { KINDS, type Kind } from "../payload/kinds";

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
   * Creates the directories (durably), removes temporary files a crash left behind, and yields
   * every stored file's text, one at a time. Synchronous: it runs once, before the server listens.
   */
  *open(): Generator<StoredFile> {
    for (const kind of KINDS) {
      const dir = join(this.root, kind);
      fs.mkdirSync(dir, { recursive: true });
      this.dirs.set(kind, fs.openSync(dir, "r"));
    }
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
    const handle = await fs.promises.open(temp, "w", 0o644);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.promises.rename(temp, join(dir, name));
    } catch (error) {
      await fs.promises.rm(temp, { force: true });
      throw error;
    }
    await this.syncDir(kind);
  }

  async remove(kind: Kind, key: string): Promise<void> {
    await fs.promises.rm(join(this.root, kind, fileNameOf(key)), { force: true });
    await this.syncDir(kind);
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
