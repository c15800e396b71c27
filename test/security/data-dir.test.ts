/**
 * Issue 12, item 6: the data directory holds connection passwords; it is private to the user the
 * server runs as: directories 0700, files 0600.
 */
import { chmodSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { acme, purpose, serve, table } from "../server/support";
import { modeOf, tempDir } from "./support";

test("a new data directory is 0700 and every file in it 0600", async () => {
  const dataDir = join(tempDir(), "state");
  const server = await serve({ dataDir });
  await server.post("data", acme({ sources: [table("orders")] }));
  await server.post("purpose", purpose("Research"));
  await server.close();
  expect(modeOf(dataDir)).toBe(0o700);
  for (const kind of readdirSync(dataDir)) {
    expect([kind, modeOf(join(dataDir, kind))]).toEqual([kind, 0o700]);
    for (const file of readdirSync(join(dataDir, kind))) {
      expect([file, modeOf(join(dataDir, kind, file))]).toEqual([file, 0o600]);
    }
  }
});

test("an existing data directory's own folders are narrowed to 0700; the directory given is left as it is", async () => {
  const dataDir = tempDir();
  chmodSync(dataDir, 0o755);
  mkdirSync(join(dataDir, "data"), { mode: 0o755 });
  chmodSync(join(dataDir, "data"), 0o755);
  const server = await serve({ dataDir });
  await server.close();
  expect(modeOf(join(dataDir, "data"))).toBe(0o700);
  expect(modeOf(dataDir)).toBe(0o755);
});
