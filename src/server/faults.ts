/**
 * Fault injection for tests: answer chosen requests with a status, delay them, or drop the
 * connection, a given number of times. Requests are chosen by method, kind and key rather than by
 * position, because under Terraform's parallel apply "the Nth request" is not deterministic.
 */
import { UsageError } from "../errors";
import { isKind, type Kind } from "../payload/kinds";
import type { Fault } from "./types";

/** What to do with a request a fault matched. */
export interface FaultAction {
  readonly delayMs: number;
  readonly status?: number;
  readonly drop: boolean;
  /** The fault as written, for the error message. */
  readonly described: string;
}

export class Faults {
  private readonly faults: { fault: Fault; left: number }[];

  constructor(faults: readonly Fault[] = []) {
    for (const fault of faults) checkFault(fault);
    this.faults = faults.map((fault) => ({ fault, left: fault.times ?? Infinity }));
  }

  /** The first armed fault matching the request, used up once; undefined when none. */
  take(method: string, kind: Kind | undefined, key: string | undefined): FaultAction | undefined {
    for (const armed of this.faults) {
      const { fault } = armed;
      if (armed.left <= 0) continue;
      if (fault.method !== undefined && fault.method.toUpperCase() !== method) continue;
      if (fault.kind !== undefined && fault.kind !== kind) continue;
      if (fault.key !== undefined && fault.key !== key) continue;
      armed.left--;
      return {
        delayMs: fault.delayMs ?? 0,
        status: fault.status,
        drop: fault.drop === true,
        described: describeFault(fault),
      };
    }
    return undefined;
  }
}

function checkFault(fault: Fault): void {
  const problem = (message: string) => {
    throw new UsageError(`fault ${describeFault(fault)}: ${message}`);
  };
  if (fault.status === undefined && fault.delayMs === undefined && !fault.drop) {
    problem("give a status, a delay or drop");
  }
  if (
    fault.status !== undefined &&
    !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)
  ) {
    problem("status must be a whole number from 100 to 599");
  }
  if (fault.status !== undefined && fault.drop) problem("give a status or drop, not both");
  if (fault.delayMs !== undefined && !(Number.isFinite(fault.delayMs) && fault.delayMs >= 0)) {
    problem("delay must be a number of milliseconds, 0 or more");
  }
  if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times >= 1)) {
    problem("times must be a whole number, 1 or more");
  }
  if (fault.kind !== undefined && !isKind(fault.kind)) {
    problem(`kind must be data, policy, project or purpose`);
  }
}

function describeFault(fault: Fault): string {
  const parts: string[] = [];
  if (fault.status !== undefined) parts.push(`status=${fault.status}`);
  if (fault.delayMs !== undefined) parts.push(`delay=${fault.delayMs}`);
  if (fault.drop) parts.push("drop");
  if (fault.times !== undefined) parts.push(`times=${fault.times}`);
  if (fault.method !== undefined) parts.push(`method=${fault.method}`);
  if (fault.kind !== undefined) parts.push(`kind=${fault.kind}`);
  if (fault.key !== undefined) parts.push(`key=${fault.key}`);
  return parts.join(",");
}

/**
 * A `--fault` flag: comma-separated `name=value` settings and the bare word `drop`, e.g.
 * `status=503,times=2,method=POST,kind=policy,key=mask-pii`, `delay=2000`, `drop,times=1`.
 * A key holding a comma cannot be written here; use the `faults` option of `startServer`.
 */
export function parseFault(spec: string): Fault {
  const fault: { -readonly [F in keyof Fault]: Fault[F] } = {};
  const number = (name: string, value: string) => {
    if (!/^\d+$/.test(value))
      throw new UsageError(`--fault ${spec}: ${name} must be a whole number (got "${value}")`);
    return Number(value);
  };
  for (const part of spec.split(",")) {
    const eq = part.indexOf("=");
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    const value = eq < 0 ? undefined : part.slice(eq + 1).trim();
    if (name === "drop" && value === undefined) {
      fault.drop = true;
      continue;
    }
    if (value === undefined)
      throw new UsageError(`--fault ${spec}: "${part}" needs a value (name=value)`);
    switch (name) {
      case "status":
        fault.status = number(name, value);
        break;
      case "delay":
      case "delayMs":
        fault.delayMs = number(name, value);
        break;
      case "times":
        fault.times = number(name, value);
        break;
      case "method":
        fault.method = value.toUpperCase();
        break;
      case "kind":
        if (!isKind(value))
          throw new UsageError(`--fault ${spec}: kind must be data, policy, project or purpose`);
        fault.kind = value;
        break;
      case "key":
        fault.key = value;
        break;
      default:
        throw new UsageError(
          `--fault ${spec}: unknown setting "${name}" (use status, delay, drop, times, method, kind, key)`,
        );
    }
  }
  checkFault(fault);
  return fault;
}
