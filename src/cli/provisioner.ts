/**
 * The process entry of the commands Terraform's provisioners run: `apply`, `delete`, `prune`.
 * A deploy starts one process per changed object, so start-up is the deploy's cost; most of it
 * is finding and loading modules, so `npm run build` bundles this entry and what it needs into
 * one file, lib/provisioner.js (scripts/bundle-cli.ts), which bin/immuta-v2.js runs for them.
 * Within the bundle each command still loads only when it runs (prune alone needs child_process).
 */
import type { Command } from "./command";
import { startProcess } from "./process";
import { runCommand } from "./run-command";

/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading is the point */
const PROVISIONER_COMMANDS: Readonly<Record<string, () => Command>> = {
  apply: () => require("./commands/apply").command,
  delete: () => require("./commands/delete").command,
  prune: () => require("./commands/prune").command,
};

startProcess(([name, ...args], io) => runCommand(PROVISIONER_COMMANDS[name](), args, io));
