/**
 * How a command's failure reaches people: one line naming what went wrong, and the exit code.
 * Apart from the dispatcher (run.ts), so that a command does not load every other command.
 */
import { ImmutaError, UsageError } from "../errors";
import { EXIT, type Io } from "./io";

/** Prints an error for people and picks the exit code: usage errors 2, everything else 1. */
export function reportError(error: unknown, io: Io): number {
  if (error instanceof ImmutaError) {
    io.stderr.write(`immuta-v2: ${error.message}\n`);
    return error instanceof UsageError ? EXIT.usage : EXIT.failed;
  }
  io.stderr.write(
    `immuta-v2: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  return EXIT.failed;
}
