import type { Command } from "./command";
import { EXIT, type Io } from "./io";
import { reportError } from "./report-error";

/** Runs one command: its help on `--help`, its errors reported with their exit code. */
export async function runCommand(command: Command, args: string[], io: Io): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout.write(command.help);
    return EXIT.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    return reportError(error, io);
  }
}
