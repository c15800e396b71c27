/**
 * `--format ts`: one TypeScript module exporting `governance(scope, provider?)`, which adds a
 * construct per object (`Purpose`, `DataSource`, `GlobalPolicy`, `Project`). Where a project names
 * a purpose or a data source of the import, it refers to that construct (`purposes: [research]`,
 * `dwh.dataSourceName("public", "orders")`), so Terraform orders them; secrets are
 * `Secret.fromEnv(...)`; every construct has `adopt: true`, as Immuta already holds it. Construct
 * ids are PayloadDirectory's (`purpose:Research`), the kind and key, so an object keeps its id
 * whichever way it was imported.
 */
import { formatProblem } from "../errors";
import { KIND_LABEL, type Kind } from "../payload/kinds";
import { isEnvSecret } from "../payload/secrets";
import { counts, type ImportedObject } from "./model";
import { UniqueNames, identifier } from "./names";
import { referenceTargets, type Target } from "./references";
import { Code, PRINT_WIDTH, expandedObject, str } from "./ts-print";

const CLASS: Record<Kind, string> = {
  purpose: "Purpose",
  data: "DataSource",
  policy: "GlobalPolicy",
  project: "Project",
};

/** The construct id of an object; the same as PayloadDirectory gives it (`/` separates paths). */
export function constructId(kind: Kind, key: string): string {
  return `${kind}:${key.replace(/\//g, "%2F")}`;
}

export function typescriptModule(objects: readonly ImportedObject[]): string {
  const targets = referenceTargets(objects);
  // What each project names, resolved once: the targets decide which constructs need a variable.
  const named = new Map<ImportedObject, { purposes?: unknown; datasources?: unknown }>();
  const referenced = new Set<ImportedObject>();
  for (const object of objects) {
    if (object.kind !== "project" || object.problems.length > 0) continue;
    const resolve = (list: unknown, index: ReadonlyMap<string, Target>) =>
      Array.isArray(list)
        ? list.map((name: unknown) => {
            const target = typeof name === "string" ? index.get(name) : undefined;
            if (target) referenced.add(target.object);
            return target ?? name;
          })
        : list;
    named.set(object, {
      purposes: resolve(object.payload.purposes, targets.purposes),
      datasources: resolve(object.payload.datasources, targets.dataSources),
    });
  }
  const variables = new Map<ImportedObject, string>();
  const unique = new UniqueNames();
  for (const object of objects) {
    if (referenced.has(object))
      variables.set(object, unique.take(identifier(object.key, object.kind)));
  }
  const toCode = (list: unknown) =>
    Array.isArray(list)
      ? list.map((item: unknown) =>
          isTarget(item) ? item.reference(variables.get(item.object)!) : item,
        )
      : list;

  const statements = objects.map((object) => {
    const payload = withSecrets(object.payload) as Record<string, unknown>;
    const names = named.get(object);
    if (names && payload.purposes !== undefined) payload.purposes = toCode(names.purposes);
    if (names && payload.datasources !== undefined) payload.datasources = toCode(names.datasources);
    const props: [string, unknown][] = [
      ["provider", new Code("provider")],
      // Imported from the tenant: the first deploy takes over what Immuta already holds.
      ["adopt", true],
      ...Object.entries(payload),
    ];
    if (object.facts.deleteDataSourcesOnWorkspaceDelete) {
      props.push(["deleteDataSourcesOnWorkspaceDelete", true]);
    }
    return statement(object, props, variables.get(object));
  });

  const used = [...new Set(objects.map((object) => CLASS[object.kind]))];
  if (objects.some((object) => object.secrets.length > 0)) used.push("Secret");
  return [
    header(objects),
    `import type { Construct } from "constructs";`,
    importLine([...used, "type ImmutaProvider"].sort(byName), "cdktf-immuta"),
    "",
    "/** Adds the imported objects to `scope`, in `provider`'s tenant (default: the stack's only one). */",
    objects.length === 0
      ? "export function governance(_scope: Construct, _provider?: ImmutaProvider): void {}"
      : `export function governance(scope: Construct, provider?: ImmutaProvider): void {\n${statements.join("\n\n")}\n}`,
    "",
  ].join("\n");
}

function isTarget(value: unknown): value is Target {
  return value !== null && typeof value === "object" && "reference" in value && "object" in value;
}

/** Placeholders as `Secret.fromEnv("NAME")`, which says what it is and checks the name at synth. */
function withSecrets(value: unknown): unknown {
  if (isEnvSecret(value)) return new Code("Secret.fromEnv", [str(value.$env)]);
  if (Array.isArray(value)) return value.map(withSecrets);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = withSecrets(v);
    return out;
  }
  return value;
}

/** `const x = new Purpose(scope, "purpose:x", { ... });`, problems above it. */
function statement(
  object: ImportedObject,
  props: readonly (readonly [string, unknown])[],
  variable: string | undefined,
): string {
  const indent = "  ";
  const start = `${indent}${variable === undefined ? "" : `const ${variable} = `}new ${CLASS[object.kind]}(`;
  const id = str(constructId(object.kind, object.key));
  const hugged = `${start}scope, ${id}, {`;
  const code =
    hugged.length <= PRINT_WIDTH
      ? `${start}scope, ${id}, ${expandedObject(props, 1)});`
      : `${start}\n${indent}  scope,\n${indent}  ${id},\n${indent}  ${expandedObject(props, 2)},\n${indent});`;
  if (object.problems.length === 0) return code;
  const count = object.problems.length;
  const lines = [
    `${count} problem${count === 1 ? "" : "s"}: Immuta would refuse this ${KIND_LABEL[object.kind]} as it is:`,
    ...object.problems.map((problem) => `  ${formatProblem(problem)}`),
  ];
  return `${lines.map((line) => `${indent}// ${commentText(line)}`.trimEnd()).join("\n")}\n${code}`;
}

function header(objects: readonly ImportedObject[]): string {
  const counted = counts(objects);
  const variables = [
    ...new Set(objects.flatMap((object) => object.secrets.map((s) => s.variable))),
  ];
  const lines = [
    "Governance imported by `immuta-v2 import --format ts`:",
    counted.length > 0 ? `${counted.join(", ")}.` : "no objects.",
  ];
  if (variables.length > 0) {
    lines.push(
      "",
      "Secrets are not exported: set these environment variables where the deploy runs:",
      ...variables.map((name) => `  ${name}`),
    );
  }
  return `/**\n${lines.map((line) => ` * ${commentText(line)}`.trimEnd()).join("\n")}\n */`;
}

/** `import { A, B } from "m";`, one name a line when that does not fit. */
function importLine(names: readonly string[], from: string): string {
  const line = `import { ${names.join(", ")} } from ${str(from)};`;
  if (line.length <= PRINT_WIDTH) return line;
  return `import {\n${names.map((name) => `  ${name},`).join("\n")}\n} from ${str(from)};`;
}

/** Sorted as people read an import list: by the name, whatever the `type` before it. */
function byName(a: string, b: string): number {
  const bare = (s: string) => s.replace(/^type /, "");
  return bare(a) < bare(b) ? -1 : bare(a) > bare(b) ? 1 : 0;
}

/** A comment stays a comment: no line break may end it, no `*\/` may close it. */
function commentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]/g, " ").replace(/\*\//g, "*\\/");
}
