/** The connection settings every command shares: where, which key, how to send and retry. */
import { readConnection } from "../../src/cli/connection";
import { API_KEY, testServer } from "../client/fixtures";
import { scriptedServer } from "../client/scripted-server";
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
      maxRetryAfterMs: 300_000,
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
          "max-retry-wait": "45",
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
      maxRetryAfterMs: 45_000,
    });
  });

  it("takes the longest Retry-After wait from --max-retry-wait, else IMMUTA_MAX_RETRY_WAIT", () => {
    const env = { IMMUTA_URL: "https://a.example", IMMUTA_API_KEY: "k" };
    const maxWait = (values: object, more: object = {}) =>
      readConnection(values, { ...env, ...more }).maxRetryAfterMs;
    expect(maxWait({}, { IMMUTA_MAX_RETRY_WAIT: "600" })).toBe(600_000);
    expect(maxWait({ "max-retry-wait": "0" }, { IMMUTA_MAX_RETRY_WAIT: "600" })).toBe(0);
    expect(() => maxWait({}, { IMMUTA_MAX_RETRY_WAIT: "5m" })).toThrow(
      'the environment variable IMMUTA_MAX_RETRY_WAIT must be a number of seconds (got "5m")',
    );
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
    [["--max-retry-wait=-1"], "key", '--max-retry-wait must be a number of seconds (got "-1")'],
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
    const result = await cli(["list", "--kind", "purpose", "--json"], {
      env: { IMMUTA_URL: server.url },
    });
    expect(result).toEqual({ code: 0, stdout: "[]\n", stderr: "" });
  });

  it("documents --max-retry-wait and its default in every command's help", async () => {
    for (const command of ["apply", "delete", "get", "list"]) {
      const { stdout } = await cli([command, "--help"]);
      expect(stdout).toMatch(
        /--max-retry-wait SECONDS +the longest wait honoured when a 429 or 503 gives a Retry-After/,
      );
      expect(stdout).toContain("(default: $IMMUTA_MAX_RETRY_WAIT, else 300)");
    }
  });
});

describe("a server's Retry-After", () => {
  const SLOW_DOWN = { status: 429, body: { statusCode: 429, message: "slow down" } };

  it("is cut to --max-retry-wait, and the wait is announced with what the server asked", async () => {
    const server = await scriptedServer([
      { ...SLOW_DOWN, headers: { "retry-after": "45" } },
      { status: 200, body: [] },
    ]);
    const result = await cli(["list", "--kind", "purpose", "--json", "--max-retry-wait", "0.02"], {
      env: { IMMUTA_URL: server.url },
    });
    expect(result).toEqual({
      code: 0,
      stdout: "[]\n",
      stderr:
        "immuta-v2: GET /api/v2/purpose: attempt 1 of 5 failed (status 429); waiting 0.02 s " +
        "(Retry-After asked 45 s; capped by --max-retry-wait) before retrying\n",
    });
    expect(server.requests).toHaveLength(2);
  });

  it("is waited in full under the maximum, and announced as the server's", async () => {
    const server = await scriptedServer([
      { ...SLOW_DOWN, headers: { "retry-after": "0.05" } },
      { status: 200, body: [] },
    ]);
    const result = await cli(["list", "--kind", "purpose"], {
      env: { IMMUTA_URL: server.url, IMMUTA_MAX_RETRY_WAIT: "1" },
    });
    expect(result.stderr).toBe(
      "immuta-v2: GET /api/v2/purpose: attempt 1 of 5 failed (status 429); " +
        "waiting 0.05 s (Retry-After) before retrying\n",
    );
  });
});
