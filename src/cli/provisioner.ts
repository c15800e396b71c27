/**
 * The process entry of the commands Terraform's provisioners run: `apply`, `delete`, `prune`.
 * A deploy starts one process per changed object, so start-up is the deploy's cost; most of it
 * is finding and loading modules, so `npm run build` bundles this entry and what it needs into
 * one file, lib/provisioner.js (scripts/bundle-cli.ts), which bin/immuta-v2.js runs for them.
 */
import type { Command } from "./command";
import { command as apply } from "./commands/apply";
import { command as deleteCommand } from "./commands/delete";
import { command as prune } from "./commands/prune";
import { startProcess } from "./process";
import { runCommand } from "./run-command";

export const PROVISIONER_COMMANDS: Readonly<Record<string, Command>> = {
  apply,
  delete: deleteCommand,
  prune,
};

startProcess(([name, ...args], io) => runCommand(PROVISIONER_COMMANDS[name], args, io));
