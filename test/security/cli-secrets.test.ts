/**
 * The client and CLI hold the same line as the server: the API key is never in argv, never in an
 * error, never in --verbose output, and an answer that echoes a secret is scrubbed. The server
 * here echoes everything it receives (headers and body) in every answer, the worst a server can do.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { API_KEY, DB_PASSWORD, PAYLOADS } from "../client/fixtures";
import { cli, workdir } from "../cli/harness";

let server: http.Server;
let url: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const echo = `you sent ${req.headers.authorization} with ${body}`;
      const status = req.method === "GET" ? 200 : 400;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(
        JSON.stringify(
          status === 200
            ? { connectionKey: "dwh prod", note: echo }
            : { statusCode: 400, error: "Bad Request", message: echo },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

test("no command takes the API key in argv; one pasted there is refused without being echoed", async () => {
  for (const command of ["apply", "delete", "get", "list", "guard", "confirm", "plan", "drift"]) {
    // The harness fails the test if the key appears in any output.
    const result = await cli([command, "--api-key", API_KEY], { env: { IMMUTA_URL: url } });
    expect([command, result.code]).not.toEqual([command, 0]);
    expect(result.stderr).toMatch(/Unknown option '--api-key'/);
    const help = await cli([command, "--help"]);
    expect(help.stdout).toContain("--api-key-env NAME");
    expect(help.stdout).not.toMatch(/--api-key[ =](KEY|<key>)/i);
  }
});

test("an error that quotes the key and the payload's secrets is printed scrubbed", async () => {
  const result = await cli(["apply", "--kind", "data", "--file", "data.json"], {
    env: { IMMUTA_URL: url },
    cwd: workdir({ "data.json": PAYLOADS.data }),
  });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("you sent Bearer [redacted] with");
  expect(result.stderr).not.toContain(DB_PASSWORD);
});

test("--verbose prints no header, and answers that echo the key or a secret come out scrubbed", async () => {
  const failed = await cli(["apply", "--kind", "data", "--file", "data.json", "--verbose"], {
    env: { IMMUTA_URL: url },
    cwd: workdir({ "data.json": PAYLOADS.data }),
  });
  expect(failed.stderr).toMatch(/^> POST \/api\/v2\/data\?dryRun=false\n/);
  expect(failed.stderr).not.toMatch(/authorization/i);
  const read = await cli(["get", "--kind", "data", "--key", "dwh prod", "--verbose"], {
    env: { IMMUTA_URL: url },
  });
  expect(read.code).toBe(0);
  expect(read.stderr).toContain("you sent Bearer [redacted] with");
  expect(read.stdout).toContain("you sent Bearer [redacted] with");
});

test("a server that cannot be reached is reported without the key", async () => {
  const result = await cli(["list", "--kind", "purpose", "--retries", "0"], {
    env: { IMMUTA_URL: "http://127.0.0.1:9" },
  });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^immuta-v2: GET \/api\/v2\/purpose failed: /);
});
