/**
 * The arguments of the synth children: `OUTDIR OBJECTS [--local-backend] [--no-source-maps]
 * [--floor]` (`--floor`: half purposes, half subscription policies, the no-op floor's stack).
 */
export function synthArgs(argv: readonly string[]) {
  const [outdir, objects, ...flags] = argv;
  const count = Number(objects);
  if (!outdir || !Number.isInteger(count) || count < 4) {
    throw new Error("usage: synth-<kind>.ts OUTDIR OBJECTS [--local-backend] [--no-source-maps]");
  }
  // tsx turns source maps on, and cdktf captures a stack trace for every token it creates; off,
  // stack traces cost what they cost in compiled JavaScript run by plain node.
  if (flags.includes("--no-source-maps")) process.setSourceMapsEnabled(false);
  return {
    outdir,
    count,
    localBackend: flags.includes("--local-backend"),
    floor: flags.includes("--floor"),
  };
}

/** What a synth child reports on its last stdout line (milliseconds inside the process). */
export interface SynthReport {
  readonly loadMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
}
