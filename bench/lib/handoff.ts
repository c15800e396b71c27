/**
 * A deployed stack passed from the deploy scenario to the no-op scenario in the same run: a first
 * deploy of 500 objects takes a minute, which the no-op scenario would otherwise repeat. Run
 * alone, the no-op scenario deploys for itself.
 */
import type { RunningServer } from "../../src/server";

export interface Deployed {
  /** The stack directory, applied and initialised. */
  readonly stackDir: string;
  /** The server holding what the stack deployed. */
  readonly server: RunningServer;
  /** Stops the server and removes the directories. */
  dispose(): Promise<void>;
}

let offered: Deployed | undefined;

export async function offer(deployed: Deployed): Promise<void> {
  await discardOffered();
  offered = deployed;
}

export function take(): Deployed | undefined {
  const taken = offered;
  offered = undefined;
  return taken;
}

/** Called at the end of a run: nobody took it. */
export async function discardOffered(): Promise<void> {
  await take()?.dispose();
}
