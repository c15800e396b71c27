/**
 * The process entry of the commands Terraform's provisioners run: `apply`, `delete`, `guard`,
 * `confirm`.
 * A deploy starts one process per changed object, so start-up is the deploy's cost; most of it
 * is finding and loading modules, so `npm run build` bundles this entry and what it needs into
 * one file, lib/provisioner.js (scripts/bundle-cli.ts), which bin/immuta-v2.js runs for them.
 * Within the bundle each command still loads only when it runs.
 */
import type { Command } from "./command";
import { startProcess } from "./process";
import { runCommand } from "./run-command";

/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading is the point */
const PROVISIONER_COMMANDS: Readonly<Record<string, () => Command>> = {
  apply: () => require("./commands/apply").command,
  delete: () => require("./commands/delete").command,
  guard: () => require("./commands/guard").command,
  confirm: () => require("./commands/confirm").command,
};

startProcess(async ([name, ...args], io) => {
  const load = PROVISIONER_COMMANDS[name];
  if (load) return runCommand(load(), args, io);
  // bin/immuta-v2.js sends only these here; the full CLI (lib/src/cli/main.js) has the others.
  io.stderr.write(
    `immuta-v2: "${name}" is not one of the provisioner commands ` +
      `(${Object.keys(PROVISIONER_COMMANDS).join(", ")})\n`,
  );
  return 2;
});
