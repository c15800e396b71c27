/** `immuta-v2 import` as a command: its help, its usage errors, its JSON, and sources that fail. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cli } from "../cli/harness";
import { SEED_DIR } from "../payload/fixtures";
import { API_KEY, documentedExamples, tempDir, tenant } from "./support";

describe("immuta-v2 import", () => {
  it("documents its flags and exit codes, and is listed in the top-level help", async () => {
    const help = await cli(["import", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: immuta-v2 import --from URL\|DIR --out DIR/);
    for (const flag of [
      "--from",
      "--out",
      "--format",
      "--only",
      "--key",
      "--json",
      "--api-key-env",
    ]) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n(.*\n)* {2}2 +usage error/);
    expect((await cli(["--help"])).stdout).toMatch(/^ {2}import {4}/m);
  });

  it.each([
    [["--out", "x"], "immuta-v2: --from is required: a server URL or a folder of payload files\n"],
    [["--from", SEED_DIR], "immuta-v2: --out is required: the folder to write into\n"],
    [
      ["--from", SEED_DIR, "--out", "x", "--format", "yaml"],
      'immuta-v2: --format must be files or ts (got "yaml")\n',
    ],
    [
      ["--from", "http://127.0.0.1:9", "--out", "x"],
      expect.stringMatching(
        /^immuta-v2: no API key: the environment variable IMMUTA_API_KEY is not set/,
      ),
    ],
    [
      ["--from", SEED_DIR, "--out", "x", "--url", "http://a"],
      expect.stringMatching(/^immuta-v2: import: Unknown option '--url'/),
    ],
  ])("exits 2 on a usage error: %j", async (args, message) => {
    const result = await cli(["import", ...(args as string[])], { onlyEnv: {} });
    expect(result).toMatchObject({ code: 2, stdout: "", stderr: message });
  });

  it("prints every object, problem, source error and secret with --json", async () => {
    const out = tempDir();
    const result = await cli(["import", "--from", SEED_DIR, "--out", out, "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ format: "files", root: out, errors: [], others: [] });
    expect(report.objects).toHaveLength(11);
    expect(report.objects[0]).toEqual({
      kind: "purpose",
      key: "Purpose Hierarchy",
      file: "purposes/purpose-hierarchy.yaml",
      problems: [],
    });
    expect(report.secrets).toEqual([
      {
        variable: "DATABRICKS_TOKEN",
        kind: "data",
        key: "my-databricks",
        path: "connection.password",
      },
    ]);
  });

  it("writes the module where --out names a .ts file", async () => {
    const out = tempDir();
    const result = await cli([
      "import",
      "--from",
      SEED_DIR,
      "--out",
      `${out}/src/imported.ts`,
      "--format",
      "ts",
      "--json",
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      root: `${out}/src`,
      objects: expect.arrayContaining([expect.objectContaining({ file: "imported.ts" })]),
    });
  });

  it("logs each request and answer to stderr with --verbose, the API key never", async () => {
    const holding = await tenant(documentedExamples());
    try {
      const result = await cli(
        [
          "import",
          "--from",
          holding.server.url,
          "--out",
          tempDir(),
          "--only",
          "purpose",
          "--verbose",
        ],
        { onlyEnv: { IMMUTA_API_KEY: API_KEY } },
      );
      expect(result.code).toBe(0);
      expect(result.stderr).toContain("GET /api/v2/purpose/Purpose%20Hierarchy");
      expect(result.stderr).toContain("GET /api/v2/purpose\n");
    } finally {
      await holding.close();
    }
  });

  it("exits 1 naming the reason when the server has no read endpoints", async () => {
    const holding = await tenant(documentedExamples());
    try {
      const result = await cli(
        ["import", "--from", `${holding.server.url}/v2-only`, "--out", tempDir()],
        { onlyEnv: { IMMUTA_API_KEY: API_KEY } },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        "immuta-v2: the server has no GET /v2-only/api/v2/data endpoint (it answered 404): " +
          "reading objects back is served by the embedded server (immuta-v2 serve), not by Immuta's V2 API\n",
      );
    } finally {
      await holding.close();
    }
  });

  it("reports an object the server fails to give, imports the others, and exits 1", async () => {
    // A server that lists two purposes and answers 500 for one of them.
    const server = createServer((req, res) => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.url === "/api/v2/purpose") return reply(200, ["Good", "Broken"]);
      if (req.url === "/api/v2/purpose/Good") return reply(200, { name: "Good", id: 1 });
      if (req.url === "/api/v2/purpose/Broken") {
        return reply(500, {
          statusCode: 500,
          error: "Internal Server Error",
          message: "disk on fire",
        });
      }
      return reply(200, []);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const out = tempDir();
      const result = await cli(["import", "--from", url, "--out", out, "--retries", "0"], {
        onlyEnv: { IMMUTA_API_KEY: API_KEY },
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        "error  GET /api/v2/purpose/Broken: answered 500: disk on fire; not imported\n",
      );
      expect(result.stdout).toMatch(/\(1 purpose\) into .*: 1 file written; 1 not read\n/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
