/**
 * Checks a parsed body before anything acts on it: the shipped JSON Schemas (through the payload
 * model's `findProblems`, so the server and editors agree), plus what only a server must refuse:
 * unresolved secret placeholders (an unresolved secret must never be stored), absurd nesting and
 * absurdly wide objects (refused before the validator pays for each of their fields), `__proto__`
 * fields and strings that are not valid Unicode (they would not survive a restart).
 */
import type { Problem } from "../errors";
import type { Kind } from "../payload/kinds";
import { isEnvSecret } from "../payload/secrets";
import { fieldPath, findProblems } from "../payload/validate";
import { MAX_FIELDS, MAX_NESTING } from "./choices";

const LONE_SURROGATE = /\p{Cs}/u;

/** Every problem of a payload; empty when the server may act on it. */
export function checkPayload(kind: Kind, payload: unknown): Problem[] {
  const walked = walk(payload);
  // Too deep to hand to a recursive validator, or too wide to have each field checked: say so
  // and stop.
  if (walked.refused) return walked.problems;
  const problems = findProblems(kind, payload, { mode: "server" });
  const reported = new Set(problems.map((p) => p.path));
  for (const problem of walked.problems) {
    if (!reported.has(problem.path)) problems.push(problem);
  }
  return problems;
}

interface Walked {
  readonly problems: Problem[];
  readonly refused: boolean;
}

function walk(root: unknown): Walked {
  const problems: Problem[] = [];
  const segments: string[] = [];
  let refused = false;
  const at = () => fieldPath(segments);
  const visit = (value: unknown, depth: number): void => {
    if (typeof value === "string") {
      if (LONE_SURROGATE.test(value)) {
        problems.push({
          path: at(),
          message: "contains an unpaired surrogate (not valid Unicode)",
        });
      }
      return;
    }
    if (value === null || typeof value !== "object") return;
    if (depth >= MAX_NESTING) {
      refused = true;
      problems.push({ path: at(), message: `nested more than ${MAX_NESTING} levels deep` });
      return;
    }
    if (isEnvSecret(value)) {
      problems.push({
        path: at(),
        message:
          `an unresolved secret placeholder { "$env": ${JSON.stringify(value.$env)} }: ` +
          `the client must replace it with the secret before sending`,
      });
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length && !refused; i++) {
        segments.push(String(i));
        visit(value[i], depth + 1);
        segments.pop();
      }
      return;
    }
    const keys = Object.keys(value);
    if (keys.length > MAX_FIELDS) {
      refused = true;
      problems.push({
        path: at(),
        message: `has ${keys.length} fields; an object of a payload has at most ${MAX_FIELDS}`,
      });
      return;
    }
    for (const key of keys) {
      if (refused) return;
      segments.push(key);
      if (key === "__proto__") problems.push({ path: at(), message: "field name not allowed" });
      else if (LONE_SURROGATE.test(key)) {
        problems.push({ path: at(), message: "field name is not valid Unicode" });
      } else visit((value as Record<string, unknown>)[key], depth + 1);
      segments.pop();
    }
  };
  visit(root, 0);
  return { problems, refused };
}
