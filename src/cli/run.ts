/**
 * `immuta-v2 <command>`: dispatches to one command module, loaded only when it is the one asked
 * for (a provisioner starts this process once per changed object; it must not pay for the others).
 */
import type { Command } from "./command";
import { EXIT, type Io } from "./io";
import { runCommand } from "./run-command";

interface Entry {
  readonly summary: string;
  readonly load: () => Command;
}

/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading is the point */
const COMMANDS: Record<string, Entry> = {
  validate: {
    summary: "check payload files offline and list every problem",
    load: () => require("./commands/validate").command,
  },
  apply: {
    summary: "create or update one object from its payload (what provisioners run)",
    load: () => require("./commands/apply").command,
  },
  delete: {
    summary: "delete one object by its key; an absent object counts as deleted",
    load: () => require("./commands/delete").command,
  },
  guard: {
    summary: "refuse keys Immuta holds that a stack never managed (a deploy's first step)",
    load: () => require("./commands/guard").command,
  },
  confirm: {
    summary: "re-check objects an interrupted deploy may not have sent (a deploy's last step)",
    load: () => require("./commands/confirm").command,
  },
  plan: {
    summary: "what a deploy would make Immuta do (dry runs), for pull-request review",
    load: () => require("./commands/plan").command,
  },
  drift: {
    summary: "what changed in Immuta outside Terraform; --fix re-applies it",
    load: () => require("./commands/drift").command,
  },
  access: {
    summary: "who can see what, for one user, from a synthesized stack or the embedded server",
    load: () => require("./commands/access").command,
  },
  import: {
    summary: "turn what a tenant holds into payload files or a TypeScript module",
    load: () => require("./commands/import").command,
  },
  get: {
    summary: "print one object as the server stores it (embedded server)",
    load: () => require("./commands/get").command,
  },
  list: {
    summary: "print the keys of every object of a kind (embedded server)",
    load: () => require("./commands/list").command,
  },
  serve: {
    summary: "run the embedded V2 API server (for demos, tests and CI)",
    load: () => require("./commands/serve").command,
  },
};

export const HELP = `immuta-v2: Immuta V2 API client, embedded server and tools for cdktf-immuta

Usage: immuta-v2 <command> [options]     immuta-v2 <command> --help

Commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(10)} ${summary}`)
  .join("\n")}

Options:
  -h, --help     show this help
  -v, --version  print the version

Exit codes:
  0  done
  1  the operation failed (server error, validation error, unreachable server)
  2  usage error (unknown command or flag, missing setting)
  plan and drift use 0 for "no change", 2 for "changes", 1 for any error, like
  terraform plan -detailed-exitcode.
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    io.stderr.write(`immuta-v2: unknown command "${name}"\n\n${HELP}`);
    return EXIT.usage;
  }
  return runCommand(entry.load(), args, io);
}

function version(): string {
  // Walk up to the package's own package.json: from lib/src/cli when built, src/cli under tsx.
  const { readFileSync } = require("node:fs") as typeof import("node:fs");
  const { join, dirname } = require("node:path") as typeof import("node:path");
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      if (pkg.name === "cdktf-immuta") return String(pkg.version);
    } catch {
      // not here; keep walking up
    }
  }
  return "unknown";
}
