import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { ImmutaError, formatProblem } from "../../errors";
import {
  KIND_LABEL,
  UNKNOWN_KIND,
  findProblems,
  listPayloadFiles,
  payloadKey,
  readPayloadDocuments,
} from "../../payload";
import { parse } from "../args";
import type { Command } from "../command";
import { EXIT, colors } from "../io";

const help = `Usage: immuta-v2 validate [--json] FILE_OR_DIRECTORY...

Checks payload files (.json, .yaml, .yml; several YAML documents per file) offline against the
V2 API's payload schemas, and lists every problem with its file, line and field path.
Directories are searched recursively.

Options:
  --json   print the result as JSON: [{ file, line, kind, key, problems: [{ path, message }] }]

Exit codes: 0 all valid, 1 a file has problems, 2 usage error.
`;

interface Report {
  file: string;
  line?: number;
  kind?: string;
  key?: string;
  problems: { path: string; message: string }[];
}

export const command: Command = {
  help,
  async run(args, io) {
    const { values, positionals } = parse("validate", args, { json: { type: "boolean" } }, true);
    if (positionals.length === 0) {
      io.stderr.write(`immuta-v2 validate: name at least one file or directory\n\n${help}`);
      return EXIT.usage;
    }
    const reports: Report[] = [];
    for (const given of positionals) {
      const absolute = resolve(io.cwd, given);
      let files: string[];
      try {
        files = listPayloadFiles(absolute);
      } catch {
        reports.push({
          file: given,
          problems: [{ path: "", message: "no such file or directory" }],
        });
        continue;
      }
      if (files.length === 0) {
        // Nothing to check is not "all valid": a wrong path would pass a CI gate.
        reports.push({
          file: given,
          problems: [{ path: "", message: "no payload file here (.json, .yaml, .yml)" }],
        });
        continue;
      }
      for (const file of files) {
        const shown = relative(io.cwd, file) || file;
        try {
          for (const document of readPayloadDocuments(readFileSync(file, "utf8"), shown)) {
            const { kind, payload, line } = document;
            if (!kind) {
              // Reported, and the file's other documents are still checked.
              reports.push({ file: shown, line, problems: [{ path: "", message: UNKNOWN_KIND }] });
              continue;
            }
            reports.push({
              file: shown,
              line,
              kind,
              key: payloadKey(kind, payload),
              problems: findProblems(kind, payload),
            });
          }
        } catch (error) {
          if (!(error instanceof ImmutaError)) throw error;
          reports.push({ file: shown, problems: [{ path: "", message: error.message }] });
        }
      }
    }
    const failed = reports.filter((r) => r.problems.length > 0);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
    } else {
      const c = colors(io.stdout, io.env);
      for (const r of reports) {
        const where = r.line !== undefined ? `${r.file}:${r.line}` : r.file;
        const what = r.kind
          ? ` ${KIND_LABEL[r.kind as keyof typeof KIND_LABEL]} ${JSON.stringify(r.key ?? "?")}`
          : "";
        if (r.problems.length === 0) {
          io.stdout.write(`${c.green("ok")}     ${where}${what}\n`);
        } else if (!r.kind) {
          // A file-level problem: a syntax error's message says where already.
          const message = r.problems[0].message;
          const at = message.startsWith(r.file) ? "" : `${where}: `;
          io.stdout.write(`${c.red("error")}  ${at}${message}\n`);
        } else {
          io.stdout.write(`${c.red("error")}  ${where}${what}\n`);
          for (const p of r.problems) io.stdout.write(`         ${formatProblem(p)}\n`);
        }
      }
      const payloads = reports.filter((r) => r.kind).length;
      io.stdout.write(
        failed.length === 0
          ? `${payloads} payload${payloads === 1 ? "" : "s"} valid\n`
          : `${failed.length} of ${reports.length} payload${reports.length === 1 ? "" : "s"} with problems\n`,
      );
    }
    return failed.length === 0 ? EXIT.ok : EXIT.failed;
  },
};
