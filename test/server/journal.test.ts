/**
 * A change of several objects (a connection deleted with the projects its data sources leave) is
 * committed as one: all of it survives a crash, or none. A crash is played here by failing the
 * disk at each step of the commit, then opening the directory again as a restart does.
 */
import * as fs from "node:fs";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileStore, fileNameOf, type Change } from "../../src/server/persist";

const dirs: string[] = [];
afterEach(() => jest.restoreAllMocks());
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function opened(dir?: string): { store: FileStore; dir: string; files: Record<string, string> } {
  const root = dir ?? mkdtempSync(join(tmpdir(), "immuta-v2-journal-"));
  if (!dir) dirs.push(root);
  const store = new FileStore(root);
  const files: Record<string, string> = {};
  for (const file of store.open())
    files[`${file.folder}/${file.path.split("/").pop()}`] = file.text;
  return { store, dir: root, files };
}

const name = (folder: string, key: string) => `${folder}/${fileNameOf(key)}`;

/** The store holds a connection and two projects; the change deletes one and rewrites the others. */
async function populated() {
  const { store, dir } = opened();
  await store.write("data", "acme", "connection v1\n");
  await store.write("project", "fraud", "fraud v1\n");
  await store.write("project", "churn", "churn v1\n");
  return { store, dir };
}

const CHANGE: Change[] = [
  { folder: "data", key: "acme", text: undefined },
  { folder: "project", key: "fraud", text: "fraud v2\n" },
  { folder: "project", key: "churn", text: "churn v2\n" },
];
const BEFORE = {
  [name("data", "acme")]: "connection v1\n",
  [name("project", "fraud")]: "fraud v1\n",
  [name("project", "churn")]: "churn v1\n",
};
const AFTER = {
  [name("project", "fraud")]: "fraud v2\n",
  [name("project", "churn")]: "churn v2\n",
};

/** Fails the nth call of a `fs.promises` function from now on. */
function failNth(fn: "rename" | "rm" | "open", n: number) {
  const real = fs.promises[fn] as (...args: unknown[]) => Promise<unknown>;
  let calls = 0;
  jest.spyOn(fs.promises, fn).mockImplementation(((...args: unknown[]) => {
    if (++calls === n) {
      return Promise.reject(Object.assign(new Error("simulated crash"), { code: "EIO" }));
    }
    return real.apply(fs.promises, args);
  }) as never);
}

test("a commit applies every change", async () => {
  const { store, dir } = await populated();
  await store.commit(CHANGE);
  store.close();
  expect(opened(dir).files).toEqual(AFTER);
  expect(readdirSync(join(dir, "journal"))).toEqual([]);
});

test("a failure before the journal is durable commits nothing, and leaves no file behind", async () => {
  const { store, dir } = await populated();
  failNth("rename", 1); // the journal's own rename
  await expect(store.commit(CHANGE)).rejects.toThrow("simulated crash");
  store.close();
  jest.restoreAllMocks();
  expect(opened(dir).files).toEqual(BEFORE);
  expect(readdirSync(join(dir, "journal"))).toEqual([]);
});

test.each([
  ["the first file written", "rename", 2],
  ["the second file written", "rename", 3],
  ["the connection's removal", "rm", 1],
] as const)(
  "a crash once the journal is durable (at %s): the restart applies all of it",
  async (_, fn, n) => {
    const { store, dir } = await populated();
    const warn = jest.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    failNth(fn, n);
    await store.commit(CHANGE); // committed: the journal holds it
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("not applied yet"));
    store.close(); // the process dies here
    jest.restoreAllMocks();
    expect(opened(dir).files).toEqual(AFTER);
    expect(readdirSync(join(dir, "journal"))).toEqual([]);
  },
);

test("a journal whose application failed is applied before the next write, which it cannot overwrite", async () => {
  const { store, dir } = await populated();
  jest.spyOn(process, "emitWarning").mockImplementation(() => undefined);
  failNth("rename", 2);
  await store.commit(CHANGE);
  jest.restoreAllMocks();
  await store.write("project", "fraud", "fraud v3\n");
  store.close();
  expect(opened(dir).files).toEqual({ ...AFTER, [name("project", "fraud")]: "fraud v3\n" });
});
