/** What a scenario is and what it reports: rows of medians, a ratio, and the target it is held to. */

export interface Target {
  /** The ratio must be at most this (times, sizes). */
  readonly max?: number;
  /** The ratio must be at least this (throughput). */
  readonly min?: number;
}

export interface Row {
  readonly scenario: string;
  /** What is compared, e.g. "5,000 objects vs 5,000 null_resource". */
  readonly measure: string;
  readonly unit: string;
  /** Median of our side. */
  readonly ours: number;
  /** Median of the side we are compared with. */
  readonly baseline: number;
  /** ours / baseline. */
  readonly ratio: number;
  readonly target?: Target;
  /** A condition besides the ratio (e.g. "zero requests"): unmet, the row misses its target. */
  readonly requirement?: { readonly met: boolean; readonly text: string };
  readonly samples: { readonly ours: readonly number[]; readonly baseline: readonly number[] };
  /** Anything else the reader needs (breakdowns, counts), printed under the table. */
  readonly notes?: readonly string[];
}

export interface Scenario {
  readonly name: string;
  /** One line for --help. */
  readonly summary: string;
  /** Runs the CLI or the compiled package, so lib/ must be fresh. */
  readonly needsBuild: boolean;
  run(options: RunOptions): Promise<Row[]>;
}

export interface RunOptions {
  /** Fewer repetitions, for trying the bench out; figures are then rougher. */
  readonly quick: boolean;
}

export function passes(row: Row): boolean | undefined {
  const { target, ratio, requirement } = row;
  if (requirement && !requirement.met) return false;
  if (!target) return undefined;
  if (target.max !== undefined && !(ratio <= target.max)) return false;
  if (target.min !== undefined && !(ratio >= target.min)) return false;
  return true;
}

/**
 * A row whose ratio is the median of the per-repetition ratios (samples paired by repetition):
 * steadier than a ratio of medians when the machine's load drifts during the run.
 */
export function pairedRow(
  fields: Omit<Row, "ours" | "baseline" | "ratio">,
  median: (values: readonly number[]) => number,
): Row {
  const { ours, baseline } = fields.samples;
  return { ...row(fields, median), ratio: median(ours.map((o, i) => o / baseline[i])) };
}

/** A row from the samples of both sides: medians, and their ratio. */
export function row(
  fields: Omit<Row, "ours" | "baseline" | "ratio">,
  median: (values: readonly number[]) => number,
): Row {
  const ours = median(fields.samples.ours);
  const baseline = median(fields.samples.baseline);
  return { ...fields, ours, baseline, ratio: ours / baseline };
}
