/**
 * The server's state in memory: the records of each kind and the indexes every request needs in
 * constant time (data sources by name, connections by identity, purposes by name, who uses what,
 * sources by tag). Only `put` and `remove` change it, and they keep the indexes in step; the
 * handlers compute a new record first and hand it over whole, so a failed request changes nothing.
 */
import type { Kind } from "../payload/kinds";
import type {
  AnyRecord,
  ConnectionRecord,
  ProjectRecord,
  PurposeRecord,
  RecordByKind,
  SourceState,
} from "./records";
import { TagIndex } from "./tag-index";

/** name → the keys of the projects that name it. */
class Uses {
  private readonly users = new Map<string, Set<string>>();

  add(names: readonly string[], user: string): void {
    for (const name of names) {
      let set = this.users.get(name);
      if (!set) this.users.set(name, (set = new Set()));
      set.add(user);
    }
  }

  remove(names: readonly string[], user: string): void {
    for (const name of names) {
      const set = this.users.get(name);
      if (set?.delete(user) && set.size === 0) this.users.delete(name);
    }
  }

  has(name: string): boolean {
    return this.users.has(name);
  }

  /** Who uses any of the names, sorted. */
  of(names: Iterable<string>): string[] {
    const out = new Set<string>();
    for (const name of names) for (const user of this.users.get(name) ?? []) out.add(user);
    return [...out].sort();
  }
}

export class State {
  private readonly records: { [K in Kind]: Map<string, RecordByKind[K]> } = {
    data: new Map(),
    policy: new Map(),
    project: new Map(),
    purpose: new Map(),
  };
  private readonly nextIds: Record<Kind, number> = { data: 1, policy: 1, project: 1, purpose: 1 };
  /** id → key, per kind: the compatibility routes address objects by id. */
  private readonly keysById: { [K in Kind]: Map<number, string> } = {
    data: new Map(),
    policy: new Map(),
    project: new Map(),
    purpose: new Map(),
  };

  /** Every data source, by its (tenant-wide unique) name. */
  readonly sources = new Map<string, SourceState>();
  /** connection identity → its connection key. */
  readonly identities = new Map<string, string>();
  /** every purpose and sub-purpose name → the key of the purpose that defines it. */
  readonly purposeNames = new Map<string, string>();
  readonly projectsBySource = new Uses();
  readonly projectsByPurpose = new Uses();
  readonly tags = new TagIndex();

  get<K extends Kind>(kind: K, key: string): RecordByKind[K] | undefined {
    return this.records[kind].get(key);
  }

  /** Every key of a kind, sorted. */
  keys(kind: Kind): string[] {
    return [...this.records[kind].keys()].sort();
  }

  /** The key of the object of a kind with an id. */
  keyOfId(kind: Kind, id: number): string | undefined {
    return this.keysById[kind].get(id);
  }

  connection(key: string): ConnectionRecord | undefined {
    return this.records.data.get(key);
  }

  /** The id the next new object of a kind gets (a dry run reports it without taking it). */
  peekId(kind: Kind): number {
    return this.nextIds[kind];
  }

  put(record: AnyRecord): void {
    switch (record.kind) {
      case "data":
        this.putConnection(record);
        break;
      case "project":
        this.putProject(record);
        break;
      case "purpose":
        this.putPurpose(record);
        break;
      case "policy":
        break;
    }
    (this.records[record.kind] as Map<string, AnyRecord>).set(record.key, record);
    this.keysById[record.kind].set(record.id, record.key);
    this.nextIds[record.kind] = Math.max(this.nextIds[record.kind], record.id + 1);
  }

  remove(kind: Kind, key: string): void {
    const record = this.records[kind].get(key);
    if (!record) return;
    if (record.kind === "data") {
      for (const source of record.sources) this.unindexSource(source);
      if (this.identities.get(record.identity) === key) this.identities.delete(record.identity);
    } else if (record.kind === "project") {
      this.projectsBySource.remove(record.datasources, key);
      this.projectsByPurpose.remove(record.purposes, key);
    } else if (record.kind === "purpose") {
      for (const name of record.names) {
        if (this.purposeNames.get(name) === key) this.purposeNames.delete(name);
      }
    }
    this.keysById[kind].delete(record.id);
    this.records[kind].delete(key);
  }

  private putConnection(record: ConnectionRecord): void {
    const old = this.records.data.get(record.key);
    // Unchanged sources keep their objects, so only what changed is re-indexed: the cost of a
    // POST follows the change, not the connection's size.
    const unseen = new Set(old?.sources);
    for (const source of record.sources) {
      if (!unseen.delete(source)) {
        this.sources.set(source.name, source);
        this.tags.add(source);
      }
    }
    for (const source of unseen) this.unindexSource(source);
    if (
      old &&
      old.identity !== record.identity &&
      this.identities.get(old.identity) === record.key
    ) {
      this.identities.delete(old.identity);
    }
    this.identities.set(record.identity, record.key);
  }

  private unindexSource(source: SourceState): void {
    if (this.sources.get(source.name) === source) this.sources.delete(source.name);
    this.tags.remove(source);
  }

  private putProject(record: ProjectRecord): void {
    const old = this.records.project.get(record.key);
    if (old) {
      this.projectsBySource.remove(old.datasources, record.key);
      this.projectsByPurpose.remove(old.purposes, record.key);
    }
    this.projectsBySource.add(record.datasources, record.key);
    this.projectsByPurpose.add(record.purposes, record.key);
  }

  private putPurpose(record: PurposeRecord): void {
    const old = this.records.purpose.get(record.key);
    for (const name of old?.names ?? []) {
      if (this.purposeNames.get(name) === record.key) this.purposeNames.delete(name);
    }
    for (const name of record.names) this.purposeNames.set(name, record.key);
  }
}
