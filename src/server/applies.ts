/**
 * Which data sources a policy's circumstances match, for the policy response's `appliedTo`.
 * Tag circumstances are answered from the tag index; only `columnRegex`, `noTags` (and a policy
 * without circumstances) have to look at every source.
 */
import type { Problem } from "../errors";
import type { Circumstance } from "../payload/types";
import { sourceStatus, type SourceState } from "./records";
import type { State } from "./state";
import { tagAndAncestors } from "./tag-index";

type Test = (source: SourceState) => boolean;

export interface Compiled {
  readonly test: Test;
  /** The sources that can match, when an index knows them. */
  readonly candidates?: ReadonlySet<SourceState>;
}

/** Compiles the circumstances; `problems` names any invalid regex. */
export function compileCircumstances(
  state: State,
  circumstances: readonly Circumstance[],
): { compiled: Compiled[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const compiled = circumstances.map((c, i): Compiled => {
    switch (c.type) {
      case "tags": {
        const tag = c.tag as string;
        return {
          test: (s) => s.tableTags.some((t) => tagAndAncestors(t).includes(tag)),
          candidates: state.tags.get("table", tag),
        };
      }
      case "columnTags": {
        const tag = c.columnTag as string;
        return {
          test: (s) =>
            s.columnTags.some((col) => col.tags.some((t) => tagAndAncestors(t).includes(tag))),
          candidates: state.tags.get("column", tag),
        };
      }
      case "columnRegex": {
        let regex: RegExp;
        try {
          regex = new RegExp(c.regex as string, c.caseInsensitive ? "i" : "");
        } catch (error) {
          problems.push({
            path: `circumstances[${i}].regex`,
            message: `not a valid regular expression: ${(error as Error).message}`,
          });
          return { test: () => false };
        }
        return { test: (s) => columnsOf(s).some((column) => regex.test(column)) };
      }
      case "noTags":
        return { test: (s) => s.tableTags.length === 0 && s.columnTags.length === 0 };
    }
  });
  return { compiled, problems };
}

/** Names of the (enabled) data sources the compiled circumstances match, sorted. */
export function appliedTo(
  state: State,
  compiled: readonly Compiled[],
  operator: "all" | "any",
  now: number,
): string[] {
  let candidates: Iterable<SourceState> = state.sources.values();
  if (compiled.length > 0) {
    const indexed = compiled.filter((c) => c.candidates !== undefined);
    if (operator === "all" && indexed.length > 0) {
      candidates = indexed.reduce((a, b) =>
        b.candidates!.size < a.candidates!.size ? b : a,
      ).candidates!;
    } else if (operator === "any" && indexed.length === compiled.length) {
      const union = new Set<SourceState>();
      for (const c of indexed) for (const s of c.candidates!) union.add(s);
      candidates = union;
    }
  }
  const names: string[] = [];
  for (const source of candidates) {
    if (sourceStatus(source, now) === "disabled") continue;
    const matches =
      compiled.length === 0 ||
      (operator === "all"
        ? compiled.every((c) => c.test(source))
        : compiled.some((c) => c.test(source)));
    if (matches) names.push(source.name);
  }
  return names.sort();
}

function columnsOf(source: SourceState): readonly string[] {
  return typeof source.target === "string" ? [] : source.target.columns;
}
