// Every test run gets a temporary directory of its own (TMPDIR, inherited by the test workers
// and by every terraform, cdktf and server they start), so that teardown.js can tell whether
// the tests left anything behind. See jest.config.js.
const { chmodSync, mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

module.exports = async () => {
  const dir = mkdtempSync(join(tmpdir(), "cdktf-immuta-tests-"));
  // Like /tmp itself: tests that run a child as another user (a read-only data dir) need it.
  chmodSync(dir, 0o1777);
  process.env.CDKTF_IMMUTA_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
};
