/**
 * Policy files kept in Git, as Immuta's V2 API was designed for, deployed with Terraform's plan,
 * state and composition without rewriting them as code.
 */
import { resolve } from "node:path";
import { Construct } from "../../providers/cdk";
import { ImmutaError, PayloadFileError, ValidationError, formatProblem } from "../errors";
import { KEY_FIELD, KIND_LABEL, payloadKey, type Kind } from "../payload/kinds";
import { listPayloadFiles, loadPayloadFile, type LoadedPayload } from "../payload/load";
import { dataSourceName, literalDatabase, purposeNames } from "../payload/naming";
import type { DataSourcePayload } from "../payload/types";
import { DataSource, type DataSourceProps } from "./data-source";
import { GlobalPolicy, type GlobalPolicyProps } from "./global-policy";
import type { ImmutaObject, ImmutaObjectOptions } from "./immuta-object";
import { Project, type ProjectProps } from "./project";
import { Purpose, type PurposeProps } from "./purpose";

export interface PayloadDirectoryProps extends ImmutaObjectOptions {
  /**
   * A directory (searched recursively for .json, .yaml and .yml files) or a single file,
   * relative to the working directory of the synth.
   */
  readonly path: string;
  /**
   * Accept a directory with no payload file, or none at all. Without it that is an error: a
   * stack whose directory went missing would plan to delete every object it manages.
   * @default false
   */
  readonly allowEmpty?: boolean;
}

/** Where a payload was found, for messages. */
interface Located extends LoadedPayload {
  readonly key: string;
}

// Objects others depend on are created first, so that the dependencies read top-down.
const CREATION_ORDER: readonly Kind[] = ["purpose", "data", "policy", "project"];

/**
 * One construct per payload found below `path`: `DataSource`, `GlobalPolicy`, `Project` or
 * `Purpose`, by the payload's key field. Construct ids come from the kind and key, not the file,
 * so moving a payload to another file changes nothing in Terraform. A project naming a purpose or
 * a data source of the same directory depends on it.
 */
export class PayloadDirectory extends Construct {
  /** Every object created, in creation order. */
  readonly objects: readonly ImmutaObject[];

  constructor(scope: Construct, id: string, props: PayloadDirectoryProps) {
    super(scope, id);
    // Every problem of every file is reported at once, as `immuta-v2 validate` does.
    const problems: string[] = [];
    const payloads = loadAll(resolve(props.path), problems, props.allowEmpty === true);
    const objects: ImmutaObject[] = [];
    const purposes = new Map<string, Purpose>();
    const dataSources = new Map<string, DataSource>();
    // Connections taking every table the warehouse has: their data source names are unknown
    // at synth, so a project naming an unknown one waits for all of them.
    const openConnections: DataSource[] = [];
    for (const kind of CREATION_ORDER) {
      for (const located of payloads.filter((p) => p.kind === kind)) {
        const object = this.create(located, props, problems);
        if (!object) continue;
        objects.push(object);
        if (object instanceof Purpose) {
          for (const name of purposeNames(object.payload)) purposes.set(name, object);
        }
        if (object instanceof DataSource) {
          for (const name of dataSourceNames(object.payload)) dataSources.set(name, object);
          const sources = object.payload.sources;
          if (!sources || sources.some((source) => "all" in source)) openConnections.push(object);
        }
        if (object instanceof Project) {
          for (const name of object.payload.purposes ?? []) {
            const purpose = purposes.get(name);
            if (purpose) object.addDependency(purpose);
          }
          for (const name of object.payload.datasources ?? []) {
            const source = dataSources.get(name.toLowerCase());
            for (const connection of source ? [source] : openConnections) {
              object.addDependency(connection);
            }
          }
        }
      }
    }
    this.objects = objects;
    if (problems.length > 0) {
      throw new PayloadFileError(
        `${this.node.path}: ${problems.length} problem${problems.length === 1 ? "" : "s"} in ` +
          `${props.path}:\n${problems.map((p) => `  ${p.split("\n").join("\n    ")}`).join("\n")}`,
      );
    }
  }

  private create(
    located: Located,
    options: ImmutaObjectOptions,
    problems: string[],
  ): ImmutaObject | undefined {
    // `/` separates construct paths; any other character of a key may stay.
    const id = `${located.kind}:${located.key.replace(/\//g, "%2F")}`;
    // Validated by the construct itself, which reports every problem.
    const props: unknown = {
      ...(located.payload as object),
      provider: options.provider,
      adopt: options.adopt,
    };
    try {
      switch (located.kind) {
        case "data":
          return new DataSource(this, id, props as DataSourceProps);
        case "policy":
          return new GlobalPolicy(this, id, props as GlobalPolicyProps);
        case "project":
          return new Project(this, id, props as ProjectProps);
        case "purpose":
          return new Purpose(this, id, props as PurposeProps);
      }
    } catch (error) {
      // Point at the file a person edits, as well as the construct.
      if (error instanceof ValidationError) {
        problems.push(
          `${located.file}:${located.line} (${KIND_LABEL[located.kind]} "${located.key}"):\n` +
            error.problems.map(formatProblem).join("\n"),
        );
        return undefined;
      }
      if (error instanceof ImmutaError) {
        problems.push(`${located.file}:${located.line}: ${error.message}`);
        return undefined;
      }
      throw error;
    }
  }
}

function loadAll(path: string, problems: string[], allowEmpty: boolean): Located[] {
  let files: string[];
  try {
    files = listPayloadFiles(path);
  } catch {
    if (allowEmpty) return [];
    problems.push(
      `${path}: no such file or directory (a stack without its payloads would delete every ` +
        `object it manages; allowEmpty: true accepts that)`,
    );
    return [];
  }
  const seen = new Map<string, Located>();
  const out: Located[] = [];
  for (const file of files) {
    let loaded: LoadedPayload[];
    try {
      loaded = loadPayloadFile(file);
    } catch (error) {
      if (!(error instanceof ImmutaError)) throw error;
      problems.push(error.message);
      continue;
    }
    for (const payload of loaded) {
      const key = payloadKey(payload.kind, payload.payload);
      if (key === undefined) {
        problems.push(
          `${payload.file}:${payload.line}: ${KEY_FIELD[payload.kind]}: must be a literal string`,
        );
        continue;
      }
      const id = `${payload.kind}/${key}`;
      const first = seen.get(id);
      if (first) {
        problems.push(
          `${KIND_LABEL[payload.kind]} "${key}" is defined twice: at ${first.file}:${first.line} ` +
            `and at ${payload.file}:${payload.line}`,
        );
        continue;
      }
      const located = { ...payload, key };
      seen.set(id, located);
      out.push(located);
    }
  }
  if (out.length === 0 && problems.length === 0 && !allowEmpty) {
    problems.push(
      `${path}: no payload file (.json, .yaml, .yml) here; a stack without its payloads would ` +
        `delete every object it manages (allowEmpty: true accepts that)`,
    );
  }
  return out;
}

/** The names of a connection's data sources that synth can know: its listed tables and queries. */
function dataSourceNames(payload: DataSourcePayload): string[] {
  const database = literalDatabase(payload);
  return (payload.sources ?? []).flatMap((source) => {
    if ("table" in source) {
      const context = { database, schema: source.schema, table: source.table };
      return [dataSourceName(payload.nameTemplate, context, source.naming)];
    }
    if ("query" in source && source.naming.datasource)
      return [source.naming.datasource.toLowerCase()];
    return [];
  });
}
