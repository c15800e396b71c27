/**
 * A personas file: the people a governance change is reviewed for, by name (YAML or JSON, one
 * document), kept next to the stack. `immuta-v2 plan --personas FILE` simulates each one's access
 * before and after the change.
 *
 *   personas:
 *     analyst:    { groups: [Analysts] }
 *     contractor: { groups: [Contractors], attributes: { country: [US] } }
 *     auditor:    { attributes: [{ name: country, value: NL }] }   # Immuta's spelling
 *     fraud:      { groups: [Analysts], project: fraud-analysis, purposes: [Research.Fraud] }
 */
import { PayloadFileError, UsageError, formatProblem, type Problem } from "../errors";
import type { SimulatedUser } from "../access/types";
import { readTextFile } from "../payload/load";
import { formatOf, parseDocuments } from "../payload/parse";
import { closest } from "../payload/problem-wording";

export interface NamedPersona extends SimulatedUser {
  readonly name: string;
}

const FIELDS = ["groups", "attributes", "purposes", "project"] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const isNames = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === "string" && x !== "");

function checkPersona(value: unknown, at: string, problems: Problem[]): SimulatedUser | undefined {
  if (!isObject(value)) {
    problems.push({
      path: at,
      message: "must be an object: groups, attributes, purposes, project",
    });
    return undefined;
  }
  for (const field of Object.keys(value)) {
    if ((FIELDS as readonly string[]).includes(field)) continue;
    const hint = closest(field, FIELDS);
    problems.push({
      path: `${at}.${field}`,
      message: `unknown field${hint ? ` (did you mean "${hint}"?)` : ""}; allowed: ${FIELDS.join(", ")}`,
    });
  }
  for (const field of ["groups", "purposes"] as const) {
    if (value[field] !== undefined && !isNames(value[field])) {
      problems.push({ path: `${at}.${field}`, message: "must be a list of non-empty names" });
    }
  }
  if (value.project !== undefined && (typeof value.project !== "string" || value.project === "")) {
    problems.push({ path: `${at}.project`, message: "must be a project's key or name" });
  }
  const attributes = value.attributes;
  if (Array.isArray(attributes)) {
    // Immuta's own spelling, as entitlements write it: [{ name, value }].
    attributes.forEach((entry: unknown, i) => {
      const pair = isObject(entry) ? entry : {};
      const fields = Object.keys(pair).sort().join(",");
      if (fields !== "name,value" || !isNames([pair.name, pair.value])) {
        problems.push({
          path: `${at}.attributes[${i}]`,
          message: "must be { name, value }, both non-empty strings",
        });
      }
    });
  } else if (attributes !== undefined) {
    if (!isObject(attributes)) {
      problems.push({
        path: `${at}.attributes`,
        message:
          "must map attribute names to a value or a list of values, or be a list of { name, value }",
      });
    } else {
      for (const [name, given] of Object.entries(attributes)) {
        if (typeof given === "string" || isNames(given)) continue;
        problems.push({
          path: `${at}.attributes.${name}`,
          message: "must be a value or a list of values (strings)",
        });
      }
    }
  }
  return value as SimulatedUser;
}

/** The personas a file names, in its order; every problem of the file at once. */
export function loadPersonasFile(file: string): NamedPersona[] {
  const format = formatOf(file);
  if (!format) throw new UsageError(`personas ${file}: expected a .yaml, .yml or .json file`);
  const documents = parseDocuments(readTextFile(file), file, format);
  if (documents.length !== 1) {
    throw new PayloadFileError(
      `${file}: a personas file is one document (found ${documents.length})`,
    );
  }
  const document = documents[0].value;
  const problems: Problem[] = [];
  const personas: NamedPersona[] = [];
  if (!isObject(document) || !isObject(document.personas)) {
    const given = isObject(document) ? Object.keys(document) : [];
    const found = given.length > 0 ? `; found ${given.join(", ")}` : "";
    const hint = given.some((g) => closest(g, ["personas"])) ? ' (did you mean "personas"?)' : "";
    problems.push({
      path: "personas",
      message: `required: a map of persona names to users${found}${hint}`,
    });
  } else {
    for (const field of Object.keys(document)) {
      if (field !== "personas")
        problems.push({ path: field, message: "unknown field; allowed: personas" });
    }
    for (const [name, value] of Object.entries(document.personas)) {
      const user = checkPersona(value, `personas[${JSON.stringify(name)}]`, problems);
      if (user) personas.push({ ...user, name });
    }
    if (personas.length === 0 && problems.length === 0) {
      problems.push({ path: "personas", message: "names no persona" });
    }
  }
  if (problems.length > 0) {
    throw new PayloadFileError(
      `${file}: not a valid personas file:\n  ${problems.map(formatProblem).join("\n  ")}`,
    );
  }
  return personas;
}
