/**
 * The adversarial suite's tools: `immuta-v2 serve` as a child process (so that a test can bound
 * its heap, kill it, and read what it logs), raw sockets for clients that misbehave on purpose,
 * and temporary directories. Everything is loopback and cleaned up after each test file.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const REPO = join(__dirname, "..", "..");
const MAIN = join(REPO, "src", "cli", "main.ts");
/** tsx's loader by URL: `--import tsx` would be looked up from the child's working directory. */
const TSX = pathToFileURL(join(REPO, "node_modules", "tsx", "dist", "loader.mjs")).href;

const dirs: string[] = [];
const children: ChildProcess[] = [];
const sockets: net.Socket[] = [];

afterAll(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory, removed after the test file. */
export function tempDir(prefix = "immuta-v2-security-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Every file under a directory (recursively), by relative path, with its text. */
export function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string, prefix: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path, `${prefix}${entry.name}/`);
      else out[`${prefix}${entry.name}`] = readFileSync(path, "utf8");
    }
  };
  walk(dir, "");
  return out;
}

/** The permission bits of a path. */
export const modeOf = (path: string) => statSync(path).mode & 0o777;

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** Resolves with how the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Stops it (SIGTERM, then SIGKILL if it does not end) and waits. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** `--max-old-space-size`, in MB: a server that tries to hold more dies. */
  readonly heapMb?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** The open-file limit to run under (`ulimit -n`): 1,024 is a common default. */
  readonly maxOpenFiles?: number;
  /** Bound by file permissions (see `unprivileged`). */
  readonly unprivileged?: boolean;
}

/**
 * For file permissions to bind a child: root may write anywhere, so as root the child keeps its
 * user but runs without capabilities (util-linux's `setpriv`). Another user, say nobody, would not
 * do: it could not read a checkout in a directory of mode 0700, as `mktemp -d` makes them.
 */
export function unprivileged(): { unprivileged: boolean } {
  return { unprivileged: process.getuid?.() === 0 };
}

/** `immuta-v2 serve --port 0 ...args` in a child process; resolves once it is listening. */
export async function spawnServer(
  args: string[],
  options: SpawnOptions = {},
): Promise<ServerProcess> {
  const node = [
    ...(options.heapMb ? [`--max-old-space-size=${options.heapMb}`] : []),
    "--import",
    TSX,
    MAIN,
  ];
  const argv = [...node, "serve", "--port", "0", ...args];
  const withoutCapabilities = options.unprivileged
    ? ["setpriv", "--inh-caps=-all", "--bounding-set=-all", "--"]
    : [];
  const withFileLimit = options.maxOpenFiles
    ? ["/bin/sh", "-c", `ulimit -n ${options.maxOpenFiles} && exec "$0" "$@"`]
    : [];
  const [command, ...commandArgs] = [
    ...withoutCapabilities,
    ...withFileLimit,
    process.execPath,
    ...argv,
  ];
  const child = spawn(command, commandArgs, {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^listening on (\S+)\n/m.exec(stdout);
      if (line) resolve(line[1]);
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`serve exited (${code ?? signal}) before listening:\n${stderr}`)),
    );
  });
  return {
    url,
    port: Number(new URL(url).port),
    child,
    stderr: () => stderr,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A raw TCP connection to a server (closed after the test file). */
export function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => resolve(socket));
    sockets.push(socket);
    socket.on("error", () => undefined); // a reset by the server is what some tests expect
    socket.once("error", reject);
  });
}

/** Resolves when the server ends the connection (close, reset or end), with what it sent. */
export function closedByServer(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
    if (socket.destroyed) return resolve(received);
    socket.once("close", () => resolve(received));
  });
}

/** Resolves with the first response head and body text the socket receives. */
export function firstResponse(socket: net.Socket): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let received = "";
    const onData = (chunk: Buffer) => {
      received += chunk.toString();
      const head = received.indexOf("\r\n\r\n");
      if (head < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(received.slice(0, head))?.[1] ?? 0);
      if (received.length - head - 4 < length) return;
      socket.off("data", onData);
      resolve({
        status: Number(received.slice(9, 12)),
        text: received.slice(head + 4, head + 4 + length),
      });
    };
    socket.on("data", onData);
    socket.once("close", () => reject(new Error(`closed before a response: ${received}`)));
  });
}

/** The head of a request, with the given headers, as a client writes it. */
export function requestHead(
  method: string,
  path: string,
  headers: Record<string, string | number>,
): string {
  const lines = [`${method} ${path} HTTP/1.1`, "Host: 127.0.0.1"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}
