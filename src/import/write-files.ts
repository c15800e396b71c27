/**
 * `--format files`: one YAML file per object, in a folder per kind, ready for PayloadDirectory and
 * `immuta-v2 validate`. Each file starts with the editor's `$schema` hint, says what it holds and
 * which secrets it reads, and names each problem next to the field it is about. The text depends
 * on nothing but the objects (no dates, no source URL), so the same tenant gives the same bytes.
 */
import { join } from "node:path";
import { Document, isMap, isScalar, isSeq, visit, type Node, type Scalar } from "yaml";
import { formatProblem } from "../errors";
import { KIND_LABEL } from "../payload/kinds";
import type { ImportedObject } from "./model";
import { KIND_FOLDER, UniqueNames, fileStem } from "./names";
import { schemaReference } from "./schema-location";

/** One file to write: its path relative to the output folder, and its text. */
export interface OutputFile {
  readonly path: string;
  readonly text: string;
  /** The objects it holds. */
  readonly objects: readonly ImportedObject[];
}

/** Short lists of plain values read best on one line (`tags: [PII, PCI]`), up to this width. */
const FLOW_WIDTH = 60;

/** The files of the objects, in the objects' order; `outDir` (absolute) places the `$schema` hints. */
export function payloadFiles(objects: readonly ImportedObject[], outDir: string): OutputFile[] {
  const stems = new Map(Object.values(KIND_FOLDER).map((folder) => [folder, new UniqueNames()]));
  return objects.map((object) => {
    const folder = KIND_FOLDER[object.kind];
    const stem = stems.get(folder)!.take(fileStem(object.key), "-");
    return {
      path: `${folder}/${stem}.yaml`,
      text: payloadText(object, schemaReference(object.kind, join(outDir, folder))),
      objects: [object],
    };
  });
}

/** The YAML text of one object. */
export function payloadText(object: ImportedObject, schema: string | undefined): string {
  const doc = new Document(object.payload);
  // The header goes above the first field rather than on the document, which would leave a blank
  // line under it: the `$schema` hint then reads as the file's first line, as people write it.
  const first = isMap(doc.contents) ? doc.contents.items[0]?.key : undefined;
  const lines = header(object, schema).map((line) => ` ${commentText(line)}`.trimEnd());
  if (isScalar(first)) first.commentBefore = lines.join("\n");
  else doc.commentBefore = lines.join("\n");
  for (const problem of object.problems) {
    placeComment(doc, pathSegments(problem.path), ` problem: ${problem.message}`);
  }
  for (const secret of object.secrets) {
    const node = doc.getIn([...pathSegments(secret.path), "$env"], true);
    if (isScalar(node)) node.comment = " secret: set it in the environment of the deploy";
  }
  finish(doc);
  // Kept unfolded: a where clause or a description must stay one line, as it was.
  return doc.toString({ lineWidth: 0, blockQuote: "literal", flowCollectionPadding: false });
}

/** What the file holds, the secrets it reads and its problems (all of them, placed or not). */
function header(object: ImportedObject, schema: string | undefined): string[] {
  const lines: string[] = [];
  if (schema !== undefined) lines.push(`yaml-language-server: $schema=${schema}`);
  lines.push(
    `${capitalize(KIND_LABEL[object.kind])} ${JSON.stringify(object.key)}, imported by immuta-v2 import.`,
  );
  if (object.secrets.length > 0) {
    lines.push(
      "Secrets are not exported: set these environment variables where the deploy runs:",
      ...object.secrets.map((s) => `  ${s.variable} (${s.path})`),
    );
  }
  if (object.facts.deleteDataSourcesOnWorkspaceDelete) {
    lines.push(
      "Immuta holds deleteDataSourcesOnWorkspaceDelete: true for this project. It is a query flag,",
      "which a payload file cannot carry: deploying this file sends it as false, and Immuta updates",
      "the project. Import with --format ts to keep it.",
    );
  }
  if (object.problems.length > 0) {
    lines.push(
      `${object.problems.length} problem${object.problems.length === 1 ? "" : "s"}: Immuta would ` +
        "refuse this payload as it is (immuta-v2 validate lists the same):",
      ...object.problems.map((p) => `  ${formatProblem(p)}`),
    );
  }
  return lines;
}

/**
 * A comment beside the field a problem is about: above it, or after its value when that is a
 * plain value. False when the field is not there (a required one missing): the header says it.
 */
function placeComment(doc: Document, segments: (string | number)[], comment: string): boolean {
  if (segments.length === 0) return false;
  const parent = segments.length === 1 ? doc.contents : doc.getIn(segments.slice(0, -1), true);
  const last = segments[segments.length - 1];
  let target: Node | undefined;
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === last);
    if (pair && isScalar(pair.value)) target = pair.value;
    else if (pair && isScalar(pair.key)) {
      append(pair.key, "commentBefore", comment);
      return true;
    }
  } else if (isSeq(parent) && typeof last === "number") {
    const item = parent.items[last];
    if (isScalar(item)) target = item;
    else if (item && (isMap(item) || isSeq(item))) {
      append(item, "commentBefore", comment);
      return true;
    }
  }
  if (!target) return false;
  append(target, "comment", comment);
  return true;
}

function append(node: Node, field: "comment" | "commentBefore", text: string): void {
  const line = commentText(text);
  // Only a comment above a node can take several lines; after a value, one line says it all.
  node[field] = node[field] ? `${node[field]}${field === "comment" ? ";" : "\n"}${line}` : line;
}

/**
 * Last touches: short lists of plain values on one line, and strings that YAML 1.1 readers would
 * take for booleans (`yes`, `off`) quoted, though this package's YAML 1.2 reader would not.
 */
function finish(doc: Document): void {
  visit(doc, {
    Scalar(_, node: Scalar) {
      if (typeof node.value === "string" && /^(y|yes|n|no|on|off)$/i.test(node.value)) {
        node.type = "QUOTE_DOUBLE";
      }
    },
    Seq(_, node) {
      const plain = node.items.every(
        (item) =>
          isScalar(item) && !item.comment && !item.commentBefore && typeof item.value !== "object",
      );
      const width = node.items.reduce<number>(
        (sum, item) => sum + String((item as Scalar).value).length + 2,
        0,
      );
      if (plain && node.items.length > 0 && width <= FLOW_WIDTH && !node.items.some(multiline)) {
        node.flow = true;
      }
    },
  });
}

function multiline(item: unknown): boolean {
  return isScalar(item) && typeof item.value === "string" && /[\n\r]/.test(item.value);
}

/** `actions[0].rules[0].type` → `["actions", 0, "rules", 0, "type"]` (inverse of fieldPath). */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3]) as string);
  }
  return segments;
}

function capitalize(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}

/** A comment stays one comment line: a line break in a key or a message must not end it. */
function commentText(text: string): string {
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]/g, " ");
}
