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
    // These errors are about input (a payload, a flag, a file), not about our code: when one
    // ends a synth (Node prints an uncaught error's stack), the message alone is what helps.
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * Sets fields a program reads (`problems`, `line`, ...) as not enumerable: Node prints an uncaught
 * error's enumerable fields after its message, so a construct's error ending `cdktf synth` would
 * show every problem twice. Every class's `code` is a getter on its prototype for the same reason.
 */
function fieldsOf<T extends object>(error: T, fields: Partial<T>): void {
  for (const [name, value] of Object.entries(fields)) {
    Object.defineProperty(error, name, { value, enumerable: false });
  }
}

/** A payload does not match the V2 API: every problem at once. */
export class ValidationError extends ImmutaError {
  get code() {
    return "VALIDATION" as const;
  }
  /** What was validated, e.g. `policy "mask-pii"` or `governance/policies.yaml`. */
  declare readonly subject: string;
  declare readonly problems: readonly Problem[];
  constructor(subject: string, problems: readonly Problem[]) {
    super(
      `${subject}: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join("\n"),
    );
    fieldsOf<ValidationError>(this, { subject, problems });
  }
}

/** A JSON or YAML text that cannot be parsed, with where. */
export class PayloadSyntaxError extends ImmutaError {
  get code() {
    return "SYNTAX" as const;
  }
  declare readonly source: string;
  declare readonly line: number;
  declare readonly column: number;
  declare readonly reason: string;
  constructor(source: string, line: number, column: number, reason: string) {
    super(`${source}:${line}:${column}: ${reason}`);
    fieldsOf<PayloadSyntaxError>(this, { source, line, column, reason });
  }
}

/** A payload file or set of files that is well-formed but cannot be used (duplicate keys, unknown kind). */
export class PayloadFileError extends ImmutaError {
  get code() {
    return "PAYLOAD_FILE" as const;
  }
}

/** The command line or the environment is wrong (missing flag, missing variable). */
export class UsageError extends ImmutaError {
  get code() {
    return "USAGE" as const;
  }
}

/** A construct is configured in a way that cannot be synthesized. */
export class SynthError extends ImmutaError {
  get code() {
    return "SYNTH" as const;
  }
}

/** Where a request went and which object it was about; every client error carries it. */
export interface RequestSubject {
  readonly method: string;
  /** The request path without its query, keys URL-encoded: `/api/v2/purpose/Clinical%20Research`. */
  readonly path: string;
  /** The object's kind (`data`, `policy`, `project`, `purpose`), when the call was about one. */
  readonly kind?: string;
  /** The object's key, when known. */
  readonly key?: string;
  /** How people name the object in messages: `purpose "Research"`. */
  readonly label?: string;
}

function requestLine(subject: RequestSubject): string {
  const what = `${subject.method} ${subject.path}`;
  return subject.label ? `${subject.label}: ${what}` : what;
}

/** The server answered, but not with a 2xx: carries the status and the server's own message. */
export class ApiError extends ImmutaError {
  get code() {
    return "API" as const;
  }
  readonly method: string;
  readonly path: string;
  readonly kind?: string;
  readonly key?: string;
  constructor(
    subject: RequestSubject,
    readonly status: number,
    /** The server's `message` (or its raw answer when that was not a JSON error body). */
    readonly serverMessage: string,
    statusText = "",
  ) {
    const answered = statusText ? `${status} ${statusText}` : String(status);
    // Validation messages list one problem per line: keep them one per line, indented.
    const body = serverMessage.includes("\n")
      ? `\n  ${serverMessage.trim().split("\n").join("\n  ")}`
      : serverMessage
        ? `: ${serverMessage}`
        : "";
    super(`${requestLine(subject)} failed with ${answered}${body}`);
    this.method = subject.method;
    this.path = subject.path;
    this.kind = subject.kind;
    this.key = subject.key;
  }
}

/**
 * The server has no such endpoint (404 or 405 for the route itself): reading back (`get`, `list`)
 * is an extension of the embedded server, not part of Immuta's documented V2 API.
 */
export class NoEndpointError extends ImmutaError {
  get code() {
    return "NO_ENDPOINT" as const;
  }
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
  ) {
    super(
      `the server has no ${method} ${path} endpoint (it answered ${status}): reading objects back ` +
        `is served by the embedded server (immuta-v2 serve), not by Immuta's V2 API`,
    );
  }
}

/** No usable answer: the server could not be reached, the connection dropped, or it did not answer in time. */
export class NetworkError extends ImmutaError {
  get code() {
    return "NETWORK" as const;
  }
  readonly method: string;
  readonly path: string;
  readonly kind?: string;
  readonly key?: string;
  constructor(
    subject: RequestSubject,
    /** What went wrong, for people: `connection refused by 127.0.0.1:8443`. */
    reason: string,
    /** The low-level code: `ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`, ... */
    readonly causeCode: string | undefined,
    /** How many attempts were made. */
    readonly attempts: number,
  ) {
    super(
      `${requestLine(subject)} failed: ${reason}` +
        (attempts > 1 ? ` (after ${attempts} attempts)` : ""),
    );
    this.method = subject.method;
    this.path = subject.path;
    this.kind = subject.kind;
    this.key = subject.key;
  }
}
