import type { Io } from "./io";

/** One `immuta-v2 <command>`: its help text and what it does. Returns the exit code. */
export interface Command {
  readonly help: string;
  run(args: string[], io: Io): Promise<number>;
}
