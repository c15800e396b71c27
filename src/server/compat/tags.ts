/**
 * `POST /tag`, `GET /tag`, `DELETE /tag/{name}` (compatibility routes), in the shapes Immuta's
 * Terraform provider decodes (`TagCreateResponse`, `TagList`): create tags by fully qualified name
 * (`{ tags: [{ name: "PII.Email" }], rootTag?: { name: "PII", deleteHierarchy? } }`, every missing
 * ancestor created with it, as Immuta's hierarchy has them), search them by a part of the name,
 * and delete one.
 */
import type { Problem } from "../../errors";
import { TAG_SEPARATOR } from "../choices";
import { HttpError, badRequest } from "../http-error";
import type { Change } from "../persist";
import type { CompatQuery } from "./query";
import { parentOf, tagChange, type TagRecord, type TagRegistry } from "./tag-registry";
import { isObject, unknownFields } from "../request-shape";

/** What a tag create or delete changes, computed before anything changes. */
export interface TagPlan {
  readonly response: unknown;
  readonly put: readonly TagRecord[];
  readonly removed: readonly string[];
}

export function tagChanges(plan: TagPlan): Change[] {
  return [
    ...plan.put.map((tag) => tagChange(tag.name, tag)),
    ...plan.removed.map((name) => tagChange(name, undefined)),
  ];
}

/** Applies a plan to the registry, once its changes are durable. */
export function applyTagPlan(tags: TagRegistry, plan: TagPlan): void {
  for (const name of plan.removed) tags.remove(name);
  for (const tag of plan.put) tags.put(tag);
}

/** A tag as Immuta's tag endpoints answer it. */
function tagView(tag: TagRecord, hasLeafNodes: boolean) {
  return {
    id: tag.id,
    name: tag.name,
    displayName: tag.name.slice(tag.name.lastIndexOf(TAG_SEPARATOR) + 1),
    hasLeafNodes,
    source: "curated",
    deleted: false,
    systemCreated: false,
    createdAt: tag.createdAt,
    updatedAt: tag.updatedAt,
  };
}

interface CreateBody {
  readonly tags: readonly { readonly name: string; readonly id?: number }[];
  readonly rootTag?: { readonly name: string; readonly deleteHierarchy?: boolean };
}

export function planTagCreate(tags: TagRegistry, body: unknown, now: number): TagPlan {
  const request = readCreate(body, tags);
  const at = new Date(now).toISOString();
  const created = new Map<string, TagRecord>();
  let nextId = tags.peekId();
  const ensure = (name: string): TagRecord => {
    const existing = tags.get(name) ?? created.get(name);
    if (existing) return existing;
    const parent = parentOf(name);
    if (parent !== undefined) ensure(parent);
    const tag = { name, id: nextId++, createdAt: at, updatedAt: at };
    created.set(name, tag);
    return tag;
  };
  const named = [...new Set(request.tags.map((t) => t.name))].map(ensure);
  const removed: string[] = [];
  const root = request.rootTag;
  if (root?.deleteHierarchy) {
    // The root's children are replaced by the ones given (and their ancestors).
    const keep = new Set<string>();
    for (const tag of named) {
      for (let n: string | undefined = tag.name; n !== undefined; n = parentOf(n)) keep.add(n);
    }
    for (const tag of tags.descendants(root.name)) if (!keep.has(tag.name)) removed.push(tag.name);
  }
  // Which of the tags answered have a child once the change is made.
  const gone = new Set(removed);
  const parents = new Set<string | undefined>();
  for (const tag of [...tags.all(), ...created.values()]) {
    if (!gone.has(tag.name)) parents.add(parentOf(tag.name));
  }
  return {
    response: named.map((tag) => tagView(tag, parents.has(tag.name))),
    put: [...created.values()],
    removed,
  };
}

/** `GET /tag?searchText=`: tags whose name holds the text, in any letter case, by name. */
export function searchTags(tags: TagRegistry, query: CompatQuery): unknown[] {
  const text = typeof query.searchText === "string" ? query.searchText.toLowerCase() : "";
  const parents = tags.parents();
  const found = tags
    .all()
    .filter((tag) => tag.name.toLowerCase().includes(text))
    .map((tag) => tagView(tag, parents.has(tag.name)));
  return typeof query.limit === "number" ? found.slice(0, query.limit) : found;
}

/**
 * `DELETE /tag/{name}`: that tag only [ours: Immuta's documentation does not say]. The tags below
 * it stay: Terraform destroys a parent's resource and creates a child's in any order, and the
 * child's must not vanish with the parent.
 */
export function planTagDelete(tags: TagRegistry, name: string): TagPlan {
  const tag = tags.get(name);
  if (!tag) throw new HttpError(404, `No tag named ${JSON.stringify(name)}`);
  return { response: { deleted: [name] }, put: [], removed: [name] };
}

/** The create body checked field by field, every problem at once. */
function readCreate(body: unknown, tags: TagRegistry): CreateBody {
  const problems: Problem[] = [];
  if (!isObject(body)) {
    throw badRequest([{ path: "", message: 'must be an object: { "tags": [{ "name": "PII" }] }' }]);
  }
  unknownFields(body, ["tags", "rootTag"], "", problems);
  let root: string | undefined;
  if (body.rootTag !== undefined) {
    if (!isObject(body.rootTag)) problems.push({ path: "rootTag", message: "must be an object" });
    else {
      const r = body.rootTag;
      unknownFields(r, ["name", "source", "deleteHierarchy"], "rootTag.", problems);
      if (checkName(r.name, "rootTag.name", problems)) root = r.name as string;
      if (r.source !== undefined && r.source !== "curated") {
        problems.push({ path: "rootTag.source", message: 'must be "curated"' });
      }
      if (r.deleteHierarchy !== undefined && typeof r.deleteHierarchy !== "boolean") {
        problems.push({ path: "rootTag.deleteHierarchy", message: "must be true or false" });
      }
    }
  }
  if (!Array.isArray(body.tags) || body.tags.length === 0) {
    problems.push({ path: "tags", message: 'required: a list of tags, [{ "name": "PII.Email" }]' });
  } else {
    body.tags.forEach((tag: unknown, i) => {
      const at = `tags[${i}]`;
      if (!isObject(tag)) return problems.push({ path: at, message: "must be an object" });
      unknownFields(tag, ["name", "id"], `${at}.`, problems);
      if (!checkName(tag.name, `${at}.name`, problems)) return;
      const name = tag.name as string;
      if (root !== undefined && name !== root && !name.startsWith(`${root}${TAG_SEPARATOR}`)) {
        problems.push({
          path: `${at}.name`,
          message: `"${name}" is not under the root tag "${root}": give the fully qualified name ("${root}${TAG_SEPARATOR}${name}")`,
        });
      }
      if (tag.id !== undefined && tags.get(name)?.id !== tag.id) {
        problems.push({
          path: `${at}.id`,
          message: `no tag "${name}" has id ${JSON.stringify(tag.id)}; leave id out to create a tag (the embedded server does not rename tags)`,
        });
      }
    });
  }
  if (problems.length > 0) throw badRequest(problems);
  return body as unknown as CreateBody;
}

function checkName(value: unknown, path: string, problems: Problem[]): boolean {
  if (typeof value !== "string" || value === "") {
    problems.push({ path, message: "required: the tag's fully qualified name" });
    return false;
  }
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (
    value.split(TAG_SEPARATOR).some((part) => part.trim() === "") ||
    /[\u0000-\u001f]/.test(value)
  ) {
    problems.push({
      path,
      message: `"${value}" is not a tag name: names separated by "${TAG_SEPARATOR}", none of them empty`,
    });
    return false;
  }
  return true;
}
