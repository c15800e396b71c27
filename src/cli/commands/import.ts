/** `immuta-v2 import`: what a tenant (or a folder of payload files) holds, turned into code. */
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { PayloadFileError, UsageError, formatProblem } from "../../errors";
import { buildImport } from "../../import/build";
import {
  KIND_ORDER,
  counts,
  type ImportResult,
  type RawObject,
  type SourceError,
} from "../../import/model";
import { readDirectory } from "../../import/read-directory";
import { readServer } from "../../import/read-server";
import { describeSecret } from "../../import/secrets";
import { selection, type Selection } from "../../import/select";
import { writeOutput, type Format, type Written } from "../../import/write-output";
import { KIND_LABEL, type Kind } from "../../payload/kinds";
import { parse } from "../args";
import type { Command } from "../command";
import { CONNECTION_OPTIONS, createClient, readConnection } from "../connection";
import { EXIT, colors, type Io } from "../io";
import { runSafely, type Secrets } from "../redaction";

const help = `Usage: immuta-v2 import --from URL|DIR --out DIR [--format files|ts] [options]

Turns what a tenant holds into code: purposes, data source connections, global policies and
projects, read from a running V2 server or from a folder of payload files (as \`immuta clone\`
writes them: JSON or YAML, one or several documents per file, any folder layout).

Source and output:
  --from URL|DIR       a server (http:// or https://; reading back is served by the embedded
                       server, as Immuta's V2 API has no read endpoint), or a folder or file of
                       payloads
  --out DIR            where to write (created if needed); files of the same objects are
                       overwritten, other files are left as they are and listed
  --format files|ts    files (default): one YAML file per object, in a folder per kind
                       (purposes/, data-sources/, policies/, projects/), ready for PayloadDirectory;
                       ts: one TypeScript module, DIR/governance.ts (or --out FILE.ts), exporting
                       governance(scope, provider?): every construct with adopt: true (Immuta
                       holds it already), projects referring to the purposes and data sources
                       they name
  --only KIND          only this kind: data, policy, project or purpose (repeatable, or a,b)
  --key PATTERN        only keys matching PATTERN: * any characters, ? one (repeatable)
  --json               print the result as JSON: { format, root, objects: [{ kind, key, file,
                       problems }], errors, others, secrets: [{ variable, kind, key, path }] }
  --verbose            log each request and answer to stderr

Secrets are never exported: every secret field (a password, a client secret, a key file, any
value the tenant answers as "[redacted]") becomes a placeholder for an environment variable
named after the object and the field ({ $env: DWH_PROD_PASSWORD } in files,
Secret.fromEnv("DWH_PROD_PASSWORD") in TypeScript). The variables are listed at the end.

The same source always gives the same files, byte for byte. An object that fails validation is
written anyway, each problem as a comment beside its field, and the command exits 1.

Connection (with --from URL):
  --api-key-env NAME        read the API key from the environment variable NAME
                            (default: IMMUTA_API_KEY)
  --auth-header bearer|raw  send "Authorization: Bearer <key>" (default) or "Authorization: <key>"
  --timeout SECONDS         how long each request may take (default 60)
  --retries N               retries on connection errors, 429, 502, 503 and 504 (default 4)
  --retry-delay SECONDS     backoff before the first retry, doubled for each further one
                            (default 0.5)

Exit codes:
  0  every object imported and valid
  1  an object has problems (written with comments), or part of the source could not be read
     (listed), or the server could not be reached or has no read endpoints
  2  usage error: a flag, or the API key, is missing or wrong
`;

const { url: _url, ...SERVER_OPTIONS } = CONNECTION_OPTIONS;

const OPTIONS = {
  ...SERVER_OPTIONS,
  from: { type: "string" },
  out: { type: "string" },
  format: { type: "string" },
  only: { type: "string", multiple: true },
  key: { type: "string", multiple: true },
  json: { type: "boolean" },
  verbose: { type: "boolean" },
} as const;

export const command: Command = {
  help,
  run: (args, io) => runSafely(io, (out, secrets) => importCommand(args, out, secrets)),
};

async function importCommand(args: string[], io: Io, secrets: Secrets): Promise<number> {
  const { values } = parse("import", args, OPTIONS);
  if (values.from === undefined || values.from === "") {
    throw new UsageError("--from is required: a server URL or a folder of payload files");
  }
  if (values.out === undefined || values.out === "") {
    throw new UsageError("--out is required: the folder to write into");
  }
  const format = values.format ?? "files";
  if (format !== "files" && format !== "ts") {
    throw new UsageError(`--format must be files or ts (got "${format}")`);
  }
  const selected = selection(values.only, values.key);
  const fromServer = /^https?:\/\//i.test(values.from);

  let raws: RawObject[];
  let errors: SourceError[];
  let shownSource: string;
  if (fromServer) {
    const connection = readConnection({ ...values, url: values.from }, io.env);
    secrets.add(connection.apiKey);
    shownSource = withoutCredentials(connection.url);
    const client = createClient(connection, io, values.verbose === true);
    try {
      ({ objects: raws, errors } = await readServer(client, selected));
    } finally {
      await client.close();
    }
  } else {
    const directory = resolve(io.cwd, values.from);
    if (!existsSync(directory)) {
      throw new PayloadFileError(`--from ${values.from}: no such file or directory`);
    }
    shownSource = values.from;
    ({ objects: raws, errors } = readDirectory(directory, selected, io.cwd));
  }

  const result = buildImport(raws, errors);
  secrets.add(...result.clearSecrets);
  const written = writeOutput(result, format, resolve(io.cwd, values.out), kindsOf(selected));
  if (values.json) printJson(io, format, result, written);
  else printText(io, format, shownSource, result, written);
  const failed = errors.length > 0 || result.objects.some((object) => object.problems.length > 0);
  return failed ? EXIT.failed : EXIT.ok;
}

function kindsOf(selected: Selection): Kind[] {
  return KIND_ORDER.filter((kind) => !selected.kinds || selected.kinds.has(kind));
}

/** A URL fit to print: a user name or password in it is dropped. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return url;
  }
}

function fileOf(written: Written) {
  const files = new Map<object, string>();
  for (const file of written.files) for (const object of file.objects) files.set(object, file.path);
  return files;
}

function printJson(io: Io, format: Format, result: ImportResult, written: Written): void {
  const files = fileOf(written);
  const report = {
    format,
    root: written.root,
    objects: result.objects.map((object) => ({
      kind: object.kind,
      key: object.key,
      file: files.get(object),
      problems: object.problems,
    })),
    errors: result.errors,
    others: written.others,
    secrets: result.secrets.map(({ variable, kind, key, path }) => ({ variable, kind, key, path })),
  };
  io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

function printText(
  io: Io,
  format: Format,
  source: string,
  result: ImportResult,
  written: Written,
): void {
  const c = colors(io.stdout, io.env);
  const files = fileOf(written);
  const where = relative(io.cwd, written.root) || ".";
  for (const object of result.objects) {
    if (object.problems.length === 0) continue;
    const file = format === "files" ? `${where}/${files.get(object)}` : object.origin;
    io.stdout.write(
      `${c.red("error")}  ${file}  ${KIND_LABEL[object.kind]} ${JSON.stringify(object.key)}\n`,
    );
    for (const problem of object.problems) io.stdout.write(`         ${formatProblem(problem)}\n`);
  }
  for (const error of result.errors) {
    io.stdout.write(`${c.red("error")}  ${error.where}: ${error.message}\n`);
  }
  const counted = counts(result.objects);
  const invalid = result.objects.filter((object) => object.problems.length > 0).length;
  const total = result.objects.length;
  io.stdout.write(
    `imported ${total} object${total === 1 ? "" : "s"} from ${source}` +
      (counted.length > 0 ? ` (${counted.join(", ")})` : "") +
      ` into ${format === "ts" ? `${where}/${written.files[0].path}` : `${where}/`}: ` +
      `${written.changed} file${written.changed === 1 ? "" : "s"} written` +
      (written.changed < written.files.length
        ? `, ${written.files.length - written.changed} unchanged`
        : "") +
      (invalid > 0 ? `; ${c.red(`${invalid} with problems`)}` : "") +
      (result.errors.length > 0 ? `; ${c.red(`${result.errors.length} not read`)}` : "") +
      "\n",
  );
  if (written.others.length > 0) {
    io.stdout.write(
      `${c.yellow("note")}   not from this import, left as they are (PayloadDirectory still loads them):\n` +
        written.others.map((path) => `         ${where}/${path}\n`).join(""),
    );
  }
  const projectsWithFlag = result.objects.filter((o) => o.facts.deleteDataSourcesOnWorkspaceDelete);
  if (format === "files" && projectsWithFlag.length > 0) {
    io.stdout.write(
      `${c.yellow("note")}   deleteDataSourcesOnWorkspaceDelete is set on ` +
        `${projectsWithFlag.map((o) => JSON.stringify(o.key)).join(", ")} in Immuta; payload files ` +
        `cannot carry it (a query flag), so a deploy of these files would update ` +
        `${projectsWithFlag.length === 1 ? "that project" : "those projects"}: use --format ts to keep it\n`,
    );
  }
  if (result.secrets.length > 0) {
    const width = Math.max(...result.secrets.map((s) => s.variable.length));
    io.stdout.write(
      "\nSecrets are not exported. Set these environment variables where the deploy runs:\n" +
        result.secrets.map((s) => `  ${s.variable.padEnd(width)}  ${describeSecret(s)}\n`).join(""),
    );
  }
}
