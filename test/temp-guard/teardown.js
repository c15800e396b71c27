// The temporary directory must be as empty after the tests as before: each test removes what it
// made. A leftover fails the run, naming what was left (then the directory goes anyway). Tools'
// own caches are not the tests' litter (tsx keeps its compile cache in tsx-<uid>, jest its
// transform cache in jest_<uid>); they go too.
const TOOL_CACHES = /^(tsx-\d+|jest_\w+)$/;
const { readdirSync, rmSync } = require("node:fs");

module.exports = async () => {
  const dir = process.env.CDKTF_IMMUTA_TEST_TMPDIR;
  if (!dir) return;
  let left = [];
  try {
    left = readdirSync(dir).filter((entry) => !TOOL_CACHES.test(entry));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (left.length > 0) {
    throw new Error(
      `the tests left ${left.length} entr${left.length === 1 ? "y" : "ies"} in the temporary ` +
        `directory (each test must remove what it makes):\n  ${left.sort().join("\n  ")}`,
    );
  }
};
