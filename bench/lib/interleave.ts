/**
 * Runs several measurements in turn, the order rotating every repetition, so that drift in the
 * machine's load (other workers share these cores) falls on every side alike.
 */
import { progress } from "./progress";

export async function interleave<K extends string>(
  label: string,
  reps: number,
  measures: Record<K, () => Promise<number>>,
): Promise<Record<K, number[]>> {
  const names = Object.keys(measures) as K[];
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < reps; i++) {
    // Rotated by one each repetition: no side is always first or always last.
    const order = names.map((_, j) => names[(i + j) % names.length]);
    for (const name of order) samples[name].push(await measures[name]());
    if (reps <= 10 || (i + 1) % 5 === 0 || i + 1 === reps) {
      const last = names.map((n) => `${n} ${samples[n].at(-1)!.toFixed(1)}`).join(", ");
      progress(`${label}: ${i + 1}/${reps} (last: ${last})`);
    }
  }
  return samples;
}
