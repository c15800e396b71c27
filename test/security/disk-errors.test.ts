/**
 * Issue 12, item 8: when the disk fails, the server cleans up after itself, answers without
 * naming a path, and does not start on a data directory it cannot write. The failures are
 * injected into `node:fs` (a full disk cannot be made on demand without privileges).
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { purpose, serve } from "../server/support";
import { filesUnder, spawnServer, tempDir, unprivileged } from "./support";

function errno(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated failure, ${syscall} '${path}'`), {
    code,
    syscall,
    path,
  });
}

afterEach(() => jest.restoreAllMocks());

test("a write that fills the disk is 507 naming no path, leaves no temporary file, and changes nothing", async () => {
  const dataDir = tempDir();
  const server = await serve({ dataDir });
  expect((await server.post("purpose", purpose("Research", { description: "v1" }))).status).toBe(
    200,
  );
  const realOpen = fs.promises.open;
  jest.spyOn(fs.promises, "open").mockImplementation(async (path, flags, mode) => {
    const handle = await realOpen(path, flags, mode);
    if (!String(path).endsWith(".tmp")) return handle;
    const write = handle.writeFile.bind(handle);
    // Half the text lands, then the disk is full.
    handle.writeFile = async (data: unknown) => {
      await write(String(data).slice(0, 20));
      throw errno("ENOSPC", "write", String(path));
    };
    return handle;
  });
  for (let i = 0; i < 3; i++) {
    const full = await server.post("purpose", purpose("Research", { description: `v${i + 2}` }));
    expect(full.status).toBe(507);
    expect(full.body).toEqual({
      statusCode: 507,
      error: "Insufficient Storage",
      message:
        "The server's disk is full (ENOSPC): the request failed; try again once space is freed",
    });
  }
  expect(Object.keys(filesUnder(dataDir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  expect((await server.call("GET", "/api/v2/purpose/Research")).body.description).toBe("v1");

  jest.restoreAllMocks();
  expect((await server.post("purpose", purpose("Research", { description: "v5" }))).status).toBe(
    200,
  );
  await server.close();
});

test("any other failure of the data directory is a 500 that names no path", async () => {
  const dataDir = tempDir();
  const server = await serve({ dataDir });
  jest.spyOn(fs.promises, "rename").mockImplementation(async (from) => {
    throw errno("EIO", "rename", String(from));
  });
  const failed = await server.post("purpose", purpose("Research"));
  expect(failed.status).toBe(500);
  expect(failed.body.message).toBe(
    "The server could not read or write its data directory (EIO): the request failed",
  );
  expect(failed.text).not.toContain(dataDir);
  expect(Object.keys(filesUnder(dataDir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  jest.restoreAllMocks();
  await server.close();
});

test("serve refuses to start on a data directory it cannot write: exit 2, naming it", async () => {
  // State written earlier, then the directory made read-only (a read-only volume, say).
  const dataDir = tempDir();
  const writer = await serve({ dataDir });
  await writer.post("purpose", purpose("Research"));
  await writer.close();
  for (const dir of [dataDir, ...fs.readdirSync(dataDir).map((kind) => join(dataDir, kind))]) {
    fs.chmodSync(dir, 0o555);
  }
  const started = spawnServer(["--data-dir", dataDir], unprivileged());
  await expect(started).rejects.toThrow(
    new RegExp(
      `^serve exited \\(2\\) before listening:\\nimmuta-v2: data directory ${dataDir}/\\w+ cannot ` +
        `be written \\((EACCES|EPERM|EROFS)\\): the server keeps its state there; give one it can ` +
        `create and write\\n$`,
    ),
  );
  for (const dir of [dataDir, ...fs.readdirSync(dataDir).map((kind) => join(dataDir, kind))]) {
    fs.chmodSync(dir, 0o700);
  }
});
