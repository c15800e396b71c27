/** The connection settings every command shares: where, which key, how to send and retry. */
import { readConnection } from "../../src/cli/connection";
import { API_KEY, testServer } from "../client/fixtures";
import { cli } from "./harness";

describe("connection settings", () => {
  it("takes --url before IMMUTA_URL, the key from IMMUTA_API_KEY, and defaults the rest", () => {
    expect(readConnection({}, { IMMUTA_URL: "https://a.example", IMMUTA_API_KEY: "k" })).toEqual({
      url: "https://a.example",
      apiKey: "k",
      authHeader: "bearer",
      timeoutMs: 60_000,
      retries: 4,
      retryDelayMs: 500,
    });
    expect(
      readConnection(
        {
          url: "https://b.example",
          "api-key-env": "OTHER",
          "auth-header": "raw",
          timeout: "2.5",
          retries: "0",
          "retry-delay": "0.01",
        },
        { IMMUTA_URL: "https://a.example", OTHER: "o" },
      ),
    ).toEqual({
      url: "https://b.example",
      apiKey: "o",
      authHeader: "raw",
      timeoutMs: 2500,
      retries: 0,
      retryDelayMs: 10,
    });
  });

  it.each([
    [[], {}, "no server given: pass --url URL or set the environment variable IMMUTA_URL"],
    [
      ["--url", "http://x"],
      {},
      "no API key: the environment variable IMMUTA_API_KEY is not set (set it, or name another variable with --api-key-env NAME)",
    ],
    [
      ["--url", "http://x", "--api-key-env", "MY_KEY"],
      { MY_KEY: "" },
      "no API key: the environment variable MY_KEY is empty (named by --api-key-env)",
    ],
    [["--auth-header", "basic"], "key", '--auth-header must be bearer or raw (got "basic")'],
    [["--timeout", "soon"], "key", '--timeout must be a number of seconds above 0 (got "soon")'],
    [["--timeout", "0"], "key", '--timeout must be a number of seconds above 0 (got "0")'],
    [["--retries=-1"], "key", '--retries must be a whole number, 0 or more (got "-1")'],
    [["--retry-delay", "x"], "key", '--retry-delay must be a number of seconds (got "x")'],
    [
      ["--url", "dwh.example.com"],
      "key",
      'not a URL: "dwh.example.com" (expected e.g. https://acme.example.com)',
    ],
    [["--bogus"], "key", "list: Unknown option '--bogus'"],
  ] as const)("refuses %j with exit 2", async (flags, env, message) => {
    const result = await cli(["list", "--kind", "purpose", ...flags], {
      onlyEnv: env === "key" ? { IMMUTA_URL: "http://127.0.0.1:9", IMMUTA_API_KEY: API_KEY } : env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`immuta-v2: ${message}`);
  });

  it("uses the URL from IMMUTA_URL when --url is absent", async () => {
    const server = await testServer();
    const result = await cli(["list", "--kind", "purpose"], { env: { IMMUTA_URL: server.url } });
    expect(result).toEqual({ code: 0, stdout: "[]\n", stderr: "" });
  });
});
