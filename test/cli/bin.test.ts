/**
 * The real `bin/immuta-v2.js` in a child process, as a Terraform provisioner runs it: proves the
 * shim onto the compiled CLI works and that exit codes reach the shell.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { API_KEY, DB_PASSWORD, PAYLOADS, testServer } from "../client/fixtures";
import { expectNoSecrets, workdir } from "./harness";

const ROOT = join(__dirname, "..", "..");
const BIN = join(ROOT, "bin", "immuta-v2.js");

/** Newest modification time of the TypeScript the CLI is compiled from. */
function newestSource(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
    }),
  );
}

beforeAll(() => {
  const compiled = join(ROOT, "lib", "src", "cli", "commands", "apply.js");
  if (!existsSync(compiled) || statSync(compiled).mtimeMs < newestSource(join(ROOT, "src"))) {
    try {
      execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "ignore" });
    } catch {
      // tsc emits even when another area's code does not type-check; the runs below tell.
    }
  }
}, 180_000);

function bin(args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { PATH: process.env.PATH, ...env } },
      (error, stdout, stderr) => {
        expectNoSecrets(stdout + stderr);
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

describe("bin/immuta-v2.js", () => {
  it("applies and deletes, with the documented exit codes", async () => {
    const server = await testServer();
    const env = { IMMUTA_URL: server.url, IMMUTA_API_KEY: API_KEY, DWH_PASSWORD: DB_PASSWORD };
    const cwd = workdir({ "data.json": PAYLOADS.data, "bad.json": { name: "x", colour: "red" } });

    const applied = await bin(
      ["apply", "--kind", "data", "--file", "data.json", "--key", "dwh prod"],
      env,
      cwd,
    );
    expect(applied).toEqual({
      code: 0,
      stdout: 'data source connection "dwh prod": created 2 (public.customers, public.orders)\n',
      stderr: "",
    });
    const deleted = await bin(["delete", "--kind", "data", "--key", "dwh prod"], env, cwd);
    expect(deleted).toEqual({
      code: 0,
      stdout: 'data source connection "dwh prod": deleted\n',
      stderr: "",
    });

    const refused = await bin(["apply", "--kind", "purpose", "--file", "bad.json"], env, cwd);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("colour: unknown field");
    const usage = await bin(["apply", "--kind", "purpose"], env, cwd);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe(
      "immuta-v2: give the payload with exactly one of --file FILE or --payload-env NAME\n",
    );
  }, 30_000);

  it("speaks HTTPS, trusting a private certificate through NODE_EXTRA_CA_CERTS", async () => {
    const dir = workdir({ "purpose.json": PAYLOADS.purpose });
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    const server = await testServer({
      tlsCert: join(dir, "cert.pem"),
      tlsKey: join(dir, "key.pem"),
    });
    expect(server.url).toMatch(/^https:/);
    const env = { IMMUTA_URL: server.url, IMMUTA_API_KEY: API_KEY };
    const untrusted = await bin(
      ["apply", "--kind", "purpose", "--file", "purpose.json", "--retries", "0"],
      env,
      dir,
    );
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/self[- ]signed certificate/);
    const trusted = await bin(
      ["apply", "--kind", "purpose", "--file", "purpose.json"],
      { ...env, NODE_EXTRA_CA_CERTS: join(dir, "cert.pem") },
      dir,
    );
    expect(trusted).toEqual({
      code: 0,
      stdout: 'purpose "Clinical Research": created\n',
      stderr: "",
    });
  }, 30_000);
});
