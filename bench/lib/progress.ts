/**
 * Progress lines on stderr while the bench runs (a full run takes minutes); the table goes to
 * stdout, so `npm run bench > table.txt` keeps only the results.
 */
const started = performance.now();

export function progress(message: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${seconds}s] ${message}\n`);
}
