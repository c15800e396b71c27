/** The process entry of `immuta-v2` (see bin/immuta-v2.js). */
import { startProcess } from "./process";
import { run } from "./run";

startProcess(run);
