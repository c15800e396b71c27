/** Temporary directories, removed when the scenario is done with them (even when it fails). */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempOptions {
  /**
   * Remove the directory in a detached `rm -rf` rather than before returning: unlinking 100,000
   * files took about a minute on these machines (ext4 with discard), a minute the bench would
   * otherwise spend waiting.
   */
  readonly removeInBackground?: boolean;
}

export async function withTempDir<T>(
  name: string,
  use: (dir: string) => Promise<T>,
  options: TempOptions = {},
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `immuta-bench-${name}-`));
  try {
    return await use(dir);
  } finally {
    if (options.removeInBackground && process.platform !== "win32") {
      spawn("rm", ["-rf", dir], { detached: true, stdio: "ignore" }).unref();
    } else {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
