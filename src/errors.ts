/**
 * The few error classes of the project. Each carries a stable `code` that callers (the CLI's exit
 * codes, tests, users' scripts) can rely on; the message is for people and may be reworded.
 */

/** One thing wrong with a payload, located by its field path (`sources[3].table`). */
export interface Problem {
  /** Field path in the payload, e.g. `sources[3].tags.columns[0].columnName`; `""` is the payload itself. */
  readonly path: string;
  /** What is wrong, with the value received and what is allowed where that helps. */
  readonly message: string;
}

export function formatProblem(problem: Problem): string {
  return `${problem.path === "" ? "(payload)" : problem.path}: ${problem.message}`;
}

export abstract class ImmutaError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A payload does not match the V2 API: every problem at once. */
export class ValidationError extends ImmutaError {
  readonly code = "VALIDATION";
  /**
   * @param subject what was validated, e.g. `policy "mask-pii"` or `governance/policies.yaml`
   */
  constructor(
    readonly subject: string,
    readonly problems: readonly Problem[],
  ) {
    super(
      `${subject}: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join("\n"),
    );
  }
}

/** A JSON or YAML text that cannot be parsed, with where. */
export class PayloadSyntaxError extends ImmutaError {
  readonly code = "SYNTAX";
  constructor(
    readonly source: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${source}:${line}:${column}: ${reason}`);
  }
}

/** A payload file or set of files that is well-formed but cannot be used (duplicate keys, unknown kind). */
export class PayloadFileError extends ImmutaError {
  readonly code = "PAYLOAD_FILE";
}

/** The command line or the environment is wrong (missing flag, missing variable). */
export class UsageError extends ImmutaError {
  readonly code = "USAGE";
}

/** A construct is configured in a way that cannot be synthesized. */
export class SynthError extends ImmutaError {
  readonly code = "SYNTH";
}
