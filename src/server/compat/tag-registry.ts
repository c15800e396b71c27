/**
 * The tags created through `POST /tag` (a compatibility route): names, fully qualified and
 * hierarchical as Immuta's (`PII.Email` under `PII`), with ids and times, kept one file per tag in
 * the data directory's `tag` folder. V2 payloads tag data sources and projects with any name, as
 * before; a tag created here is one they may use, and a policy's circumstances match it.
 */
import { basename } from "node:path";
import { TAG_SEPARATOR } from "../choices";
import { fileNameOf, TAG_FOLDER, type Change, type StoredFile } from "../persist";

export interface TagRecord {
  /** Fully qualified: `PII.Email`. */
  readonly name: string;
  readonly id: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The tag's parent's name, or undefined for a root tag. */
export function parentOf(name: string): string | undefined {
  const at = name.lastIndexOf(TAG_SEPARATOR);
  return at > 0 ? name.slice(0, at) : undefined;
}

export class TagRegistry {
  private readonly byName = new Map<string, TagRecord>();
  private nextId = 1;

  get(name: string): TagRecord | undefined {
    return this.byName.get(name);
  }

  /** The id the next new tag gets. */
  peekId(): number {
    return this.nextId;
  }

  put(tag: TagRecord): void {
    this.byName.set(tag.name, tag);
    this.nextId = Math.max(this.nextId, tag.id + 1);
  }

  remove(name: string): void {
    this.byName.delete(name);
  }

  /** Every tag, by name. */
  all(): TagRecord[] {
    return [...this.byName.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  }

  /** The tags below a tag, at any depth. */
  descendants(name: string): TagRecord[] {
    const prefix = `${name}${TAG_SEPARATOR}`;
    return this.all().filter((tag) => tag.name.startsWith(prefix));
  }

  /** The names of the tags that have a child. */
  parents(): Set<string> {
    const out = new Set<string>();
    for (const name of this.byName.keys()) {
      const parent = parentOf(name);
      if (parent !== undefined) out.add(parent);
    }
    return out;
  }

  /** Loads a stored tag; throws naming the file when it is not one. */
  load(file: StoredFile): void {
    let tag: TagRecord;
    try {
      tag = decodeTag(file.text);
    } catch (error) {
      throw new Error(`cannot load ${file.path}: ${(error as Error).message}`);
    }
    if (basename(file.path) !== fileNameOf(tag.name)) {
      throw new Error(
        `cannot load ${file.path}: it holds tag ${JSON.stringify(tag.name)}, which belongs in another file`,
      );
    }
    this.put(tag);
  }
}

/** A tag's file, written or removed. */
export function tagChange(name: string, tag: TagRecord | undefined): Change {
  return {
    folder: TAG_FOLDER,
    key: name,
    text: tag === undefined ? undefined : `${JSON.stringify(tag)}\n`,
  };
}

function decodeTag(text: string): TagRecord {
  const value = JSON.parse(text) as Record<string, unknown>;
  const { name, id, createdAt, updatedAt } = value ?? {};
  if (
    typeof name !== "string" ||
    typeof id !== "number" ||
    typeof createdAt !== "string" ||
    typeof updatedAt !== "string"
  ) {
    throw new Error("not a stored tag (name, id, createdAt, updatedAt)");
  }
  return { name, id, createdAt, updatedAt };
}
