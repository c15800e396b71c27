/**
 * The figures of issue 12: each adversarial probe against `immuta-v2 serve`, run as a child
 * process under the common 1,024 open-file limit, loopback only. For each probe: the requests (or
 * connections) tried and how many the server handled as it must, the worst time a legitimate
 * client waited for an answer while the attack ran (one authenticated POST and GET after
 * another), and the server's peak memory (VmHWM: every probe gets a fresh server).
 *
 *   npx tsx scripts/security-figures.ts [--repo DIR] [--only NAME,NAME] [--json]
 *
 * `--repo` runs the server of another checkout (a `git archive` of an older commit, with
 * node_modules linked) to compare. The disk probes need a small tmpfs, so root on Linux; without
 * it they are reported as skipped. This measures; the test suite (test/security) asserts.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Agent, request } from "undici";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
};
const REPO = resolve(flag("--repo") ?? join(__dirname, ".."));
const ONLY = flag("--only")?.split(",");
const TSX = pathToFileURL(join(__dirname, "..", "node_modules", "tsx", "dist", "loader.mjs")).href;

const ADMIN = "admin-key-Tq93hZ0wLx7Qe";
const LIMITED = "limited-key-Pr58mVa2Kc1W";
const SECRETS = { token: "dapi-token-Jx81qPz0Lm", passphrase: "passphrase-Gh27sVb9xx" };

// ------------------------------------------------------------------------------ the server

interface Server {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  stderr(): string;
  /** Peak resident memory so far, in MB. */
  peakMb(): number;
  alive(): boolean;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "immuta-v2-figures-"));
  temps.push(dir);
  return dir;
}

async function startServer(extra: string[] = [], dataDir = tempDir()): Promise<Server> {
  const argv = [
    "--import",
    TSX,
    join(REPO, "src", "cli", "main.ts"),
    ...["serve", "--port", "0", "--data-dir", dataDir],
    ...["--api-key", ADMIN, "--api-key", `${LIMITED}:CREATE_DATA_SOURCE`],
    ...extra,
  ];
  const child = spawn(
    "/bin/sh",
    ["-c", 'ulimit -n 1024 && exec "$0" "$@"', process.execPath, ...argv],
    { stdio: ["ignore", "pipe", "pipe"], cwd: REPO },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const url = await new Promise<string>((done, fail) => {
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^listening on (\S+)/m.exec(stdout);
      if (line) done(line[1]);
    });
    void exited.then(() => fail(new Error(`server exited before listening: ${stderr}`)));
  });
  let peak = 0;
  const peakMb = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    } catch {
      // ended: the last reading stands
    }
    return Math.round(peak);
  };
  const sampler = setInterval(peakMb, 50);
  return {
    url,
    pid: child.pid!,
    child,
    stderr: () => stderr,
    peakMb,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop(signal = "SIGTERM") {
      peakMb();
      clearInterval(sampler);
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ------------------------------------------------------------------------------ clients

interface Answer {
  readonly status: number;
  readonly text: string;
}

async function call(
  url: string,
  method: string,
  path: string,
  options: { key?: string; body?: string; type?: string; agent?: Agent } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers["content-type"] = options.type ?? "application/json";
  try {
    const response = await request(`${url}${path}`, {
      method: method as "GET",
      headers,
      body: options.body,
      dispatcher: options.agent,
      headersTimeout: 120_000,
      bodyTimeout: 120_000,
    });
    return { status: response.statusCode, text: await response.body.text() };
  } catch (error) {
    return { status: 0, text: String((error as Error).message) };
  }
}

/** A legitimate client: an authenticated POST and GET, one after another, until stopped. */
function legitimateClient(url: string) {
  let running = true;
  let worst = 0;
  let count = 0;
  let failed = 0;
  const agent = new Agent({ connections: 1 });
  const loop = (async () => {
    for (let i = 0; running; i++) {
      for (const [method, path, body] of [
        [
          "POST",
          "/api/v2/purpose",
          JSON.stringify({ name: `Legit ${i % 20}`, description: `v${i}` }),
        ],
        ["GET", "/api/v2/purpose", undefined],
      ] as const) {
        const started = performance.now();
        const answer = await call(url, method, path, { key: ADMIN, body, agent });
        worst = Math.max(worst, performance.now() - started);
        count++;
        if (answer.status !== 200) failed++;
      }
      await new Promise((done) => setTimeout(done, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await agent.close();
      return { worstMs: Math.round(worst), count, failed };
    },
  };
}

// ------------------------------------------------------------------------------ probes

interface Outcome {
  readonly tried: number;
  readonly behaved: number;
  readonly note?: string;
}

interface Row extends Outcome {
  readonly probe: string;
  readonly legitimate: string;
  readonly worstMs: number | string;
  readonly peakMb: number | string;
}

interface Probe {
  readonly name: string;
  readonly title: string;
  /** Extra serve flags. */
  readonly flags?: string[];
  run(server: Server): Promise<Outcome>;
}

const holdsKey = (text: string) =>
  [ADMIN, LIMITED].some((key) => {
    for (let i = 0; i + 8 <= key.length; i++) if (text.includes(key.slice(i, i + 8))) return true;
    return false;
  });

const acme = (extra: object = {}) => ({
  connectionKey: "acme",
  connection: {
    handler: "Snowflake",
    hostname: "acme.snowflakecomputing.com",
    port: 443,
    database: "ANALYTICS",
    warehouse: "COMPUTE_WH",
    username: "svc",
    password: "s3cret-password",
  },
  sources: [{ table: "orders", schema: "public" }],
  ...extra,
});

const flow = (items: number) => `[${"a,".repeat(items)}a]`;

function amplifiedPolicy(rules: number, uses: number, tag = "PII"): string {
  const rule = `      - { type: Masking, config: { fields: [{ type: columnTags, columnTag: ${tag} }], maskingConfig: { type: Hash } } }`;
  return [
    "policyKey: amplified",
    "name: amplified",
    "type: data",
    "actions:",
    "  - rules: &rules",
    ...Array(rules).fill(rule),
    ...Array(uses).fill("  - rules: *rules"),
    "",
  ].join("\n");
}

async function repeat(
  rounds: number,
  parallel: number,
  attempt: () => Promise<boolean>,
): Promise<Outcome> {
  let behaved = 0;
  for (let r = 0; r < rounds; r++) {
    const results = await Promise.all(Array.from({ length: parallel }, attempt));
    behaved += results.filter(Boolean).length;
  }
  return { tried: rounds * parallel, behaved };
}

/** Opens connections that send a request head and a little of a large body, then stall. */
async function slowBodies(
  server: Server,
  count: number,
  key: string | undefined,
): Promise<{ tried: number; answeredOrShed: () => number; close: () => void }> {
  const port = Number(new URL(server.url).port);
  const sockets: { socket: net.Socket; done: boolean }[] = [];
  for (let i = 0; i < count; i++) {
    const entry = { socket: new net.Socket(), done: false };
    entry.socket.on("error", () => (entry.done = true));
    entry.socket.on("data", () => (entry.done = true));
    entry.socket.on("close", () => (entry.done = true));
    await new Promise<void>((done) => {
      entry.socket.connect(port, "127.0.0.1", () => done());
      entry.socket.once("error", () => done());
    });
    const head = [
      "POST /api/v2/purpose HTTP/1.1",
      "Host: 127.0.0.1",
      "Content-Type: application/json",
      "Content-Length: 1048576",
      ...(key ? [`Authorization: ${key}`] : []),
    ].join("\r\n");
    entry.socket.write(`${head}\r\n\r\n{"name":"`);
    sockets.push(entry);
  }
  return {
    tried: count,
    answeredOrShed: () => sockets.filter((s) => s.done).length,
    close: () => sockets.forEach((s) => s.socket.destroy()),
  };
}

const YAML_AS_ADMIN = { key: ADMIN, type: "application/yaml" };

/** POSTs `body` `rounds` times, `parallel` at once; behaved when each answer is `status`. */
function postsAnswered(
  server: Server,
  path: string,
  body: string,
  options: { key?: string; type: string },
  status: number,
  rounds: number,
  parallel: number,
): Promise<Outcome> {
  return repeat(rounds, parallel, async () => {
    const answer = await call(server.url, "POST", path, { ...options, body });
    return answer.status === status;
  });
}

/** Item 3: a policy whose anchored rules, used again and again, expand far past its size. */
function aliasProbe(
  name: string,
  what: string,
  rounds: number,
  shape: Parameters<typeof amplifiedPolicy>,
): Probe {
  return {
    name,
    title: `3. ${what}, x ${rounds} (expect 413)`,
    async run(server) {
      const body = amplifiedPolicy(...shape);
      const outcome = await postsAnswered(
        server,
        "/api/v2/policy",
        body,
        YAML_AS_ADMIN,
        413,
        rounds,
        1,
      );
      const bytes = Buffer.byteLength(body);
      const size =
        bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(0)} KB`;
      return { ...outcome, note: size };
    },
  };
}

const PROBES: Probe[] = [
  {
    name: "keys",
    title:
      "1. GET by a CREATE_DATA_SOURCE-only key of a connection the admin posted (no key in any answer or file)",
    async run(server) {
      await call(server.url, "POST", "/api/v2/data", { key: ADMIN, body: JSON.stringify(acme()) });
      const outcome = await repeat(20, 10, async () => {
        const answer = await call(server.url, "GET", "/api/v2/data/acme", { key: LIMITED });
        const policy = await call(server.url, "GET", "/api/v2/policy", { key: LIMITED });
        return answer.status === 200 && !holdsKey(answer.text) && policy.status === 403;
      });
      return outcome;
    },
  },
  {
    name: "yaml-nokey",
    title: "2. 6 MB YAML flow sequence without a key, 4 in parallel x 3 (expect 401)",
    async run(server) {
      return postsAnswered(
        server,
        "/api/v2/purpose",
        flow(3_000_000),
        { type: "text/plain" },
        401,
        3,
        4,
      );
    },
  },
  {
    name: "yaml-key",
    title: "2. 6 MB YAML flow sequence with a valid key, 4 in parallel x 3 (expect 413)",
    async run(server) {
      return postsAnswered(server, "/api/v2/purpose", flow(3_000_000), YAML_AS_ADMIN, 413, 3, 4);
    },
  },
  {
    name: "yaml-tokens",
    title:
      "2. 1 MB YAML flow sequence (500,000 items) with a valid key, 4 in parallel x 3 (expect 413)",
    async run(server) {
      return postsAnswered(server, "/api/v2/purpose", flow(500_000), YAML_AS_ADMIN, 413, 3, 4);
    },
  },
  aliasProbe(
    "aliases-2mb",
    "2.09 MB policy: 20,000 rules anchored, used 99 times",
    3,
    [20_000, 99],
  ),
  aliasProbe("aliases-6mb", "6.3 MB policy: 60,000 rules anchored, used 99 times", 2, [60_000, 99]),
  aliasProbe(
    "aliases-small",
    "150 KB policy within the YAML token budget: 700 rules (long tag names) used 99 times",
    5,
    [700, 99, `PII.${"Sensitive".repeat(12)}`],
  ),
  {
    name: "redaction",
    title:
      "5. GET of a Databricks connection holding a token, a private key and its passphrase (no secret back)",
    async run(server) {
      const payload = {
        connectionKey: "dbx",
        connection: {
          handler: "Databricks",
          hostname: "dbc-1234.cloud.databricks.com",
          port: 443,
          database: "main",
          httpPath: "/sql/1.0/warehouses/abc",
          password: SECRETS.token,
          token: SECRETS.token,
          privateKeyPassword: SECRETS.passphrase,
          privateKey: { keyName: "PRIV_KEY_FILE", content: SECRETS.passphrase },
        },
        sources: [{ table: "crime_data", schema: "data" }],
      };
      const posted = await call(server.url, "POST", "/api/v2/data", {
        key: ADMIN,
        body: JSON.stringify(payload),
      });
      if (posted.status !== 200) return { tried: 1, behaved: 0, note: `POST ${posted.status}` };
      return repeat(10, 10, async () => {
        const answer = await call(server.url, "GET", "/api/v2/data/dbx", { key: ADMIN });
        return (
          answer.status === 200 && !Object.values(SECRETS).some((s) => answer.text.includes(s))
        );
      });
    },
  },
  {
    name: "slow-nokey",
    title: "7. 1,004 slow-body connections without a key (expect each answered 401 or shed)",
    async run(server) {
      const slow = await slowBodies(server, 1004, undefined);
      await new Promise((done) => setTimeout(done, 3000));
      const behaved = slow.answeredOrShed();
      slow.close();
      return { tried: slow.tried, behaved };
    },
  },
  {
    name: "slow-key",
    title: "7. 1,004 slow-body connections with a valid key (expect each shed or timed out)",
    async run(server) {
      const slow = await slowBodies(server, 1004, ADMIN);
      // The request timeout is 30 s; past the connection cap, the slowest are shed at once.
      await new Promise((done) => setTimeout(done, 3000));
      const early = slow.answeredOrShed();
      await new Promise((done) => setTimeout(done, 29_000));
      const behaved = slow.answeredOrShed();
      slow.close();
      return { tried: slow.tried, behaved, note: `${early} shed within 3 s` };
    },
  },
  {
    name: "validation",
    title:
      "4. purposes with 10,000 unknown fields (148 KB) and with 999, 5 in parallel x 2 each (expect 400: the field cap; the first 100 problems and how many more)",
    async run(server) {
      const purposeWith = (count: number) =>
        JSON.stringify({
          name: "Typos",
          ...Object.fromEntries(Array.from({ length: count }, (_, i) => [`unknownField${i}`, i])),
        });
      const expect = async (body: string, message: string) => {
        const answer = await call(server.url, "POST", "/api/v2/purpose", { key: ADMIN, body });
        return answer.status === 400 && answer.text.includes(message);
      };
      const capped = await repeat(2, 5, () =>
        expect(purposeWith(10_000), "has 10001 fields; an object of a payload has at most 1000"),
      );
      const listed = await repeat(2, 5, () =>
        expect(purposeWith(999), "and 899 more problems (999 in all; the first 100 are listed)"),
      );
      return { tried: capped.tried + listed.tried, behaved: capped.behaved + listed.behaved };
    },
  },
  {
    name: "duplicates",
    title: '9. {"name":"A","name":"B"} x 100 (expect 400 with line and column)',
    async run(server) {
      return repeat(10, 10, async () => {
        const answer = await call(server.url, "POST", "/api/v2/purpose", {
          key: ADMIN,
          body: '{"name":"A",\n"name":"B"}',
        });
        const message = answer.status === 400 ? String(JSON.parse(answer.text).message) : "";
        return /^request body:2:1: invalid JSON: duplicate key "name"/.test(message);
      });
    },
  },
];

// ------------------------------------------------------------------------------ disk probes

function mountTmpfs(sizeKb: number): string | undefined {
  const dir = tempDir();
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKb}k`, "tmpfs", dir], {
      stdio: "ignore",
    });
    return dir;
  } catch {
    return undefined;
  }
}

function unmount(dir: string) {
  try {
    execFileSync("umount", [dir], { stdio: "ignore" });
  } catch {
    // left for the system to clean up
  }
}

async function diskProbes(): Promise<Row[]> {
  const rows: Row[] = [];
  const full = mountTmpfs(1024);
  if (!full) {
    return [
      {
        probe: "8. disk probes",
        tried: 0,
        behaved: 0,
        legitimate: "-",
        worstMs: "-",
        peakMb: "-",
        note: "skipped: cannot mount a tmpfs (needs root on Linux)",
      },
    ];
  }
  try {
    const server = await startServer([], join(full, "state"));
    const filler = "x".repeat(100 * 1024);
    let tried = 0;
    let behaved = 0;
    let full507 = 0;
    for (let i = 0; i < 30; i++) {
      const answer = await call(server.url, "POST", "/api/v2/purpose", {
        key: ADMIN,
        body: JSON.stringify({ name: `Big ${i}`, description: filler }),
      });
      tried++;
      if (answer.status === 507) full507++;
      if ((answer.status === 200 || answer.status === 507) && !answer.text.includes(full))
        behaved++;
    }
    const leftover = readdirSync(join(full, "state", "purpose")).filter((f) => f.endsWith(".tmp"));
    for (let i = 0; i < 30; i++)
      await call(server.url, "DELETE", `/api/v2/purpose/Big%20${i}`, { key: ADMIN });
    const after = await call(server.url, "POST", "/api/v2/purpose", {
      key: ADMIN,
      body: JSON.stringify({ name: "After", description: filler }),
    });
    await server.stop();
    rows.push({
      probe:
        "8. POSTs of 100 KB into a 1 MiB disk until full (expect 200, then 507 naming no path)",
      tried,
      behaved,
      legitimate: "-",
      worstMs: "-",
      peakMb: server.peakMb(),
      note: `${full507} answered 507; ${leftover.length} .tmp files left; after freeing space: ${after.status}`,
    });

    execFileSync("mount", ["-o", "remount,ro", full]);
    const refused = await startServer([], join(full, "state")).then(
      async (s) => {
        await s.stop();
        return "started";
      },
      (error: Error) => error.message,
    );
    rows.push({
      probe: "8. serve on a read-only data dir (expect exit 2, clear message)",
      tried: 1,
      behaved: /cannot be written \(EROFS\)/.test(refused) ? 1 : 0,
      legitimate: "-",
      worstMs: "-",
      peakMb: "-",
      note: refused.split("\n").find((l) => l.includes("immuta-v2")) ?? refused,
    });
  } finally {
    unmount(full);
  }
  return rows;
}

// ------------------------------------------------------------------------------ kept checks

async function durability(): Promise<Row[]> {
  const rows: Row[] = [];
  const dataDir = tempDir();
  const acknowledged = new Map<string, number>();
  let version = 0;
  let writes = 0;
  let lost = 0;
  const cycles = 35;
  for (let cycle = 0; cycle < cycles; cycle++) {
    const server = await startServer([], dataDir);
    for (const [name, at] of acknowledged) {
      const answer = await call(server.url, "GET", `/api/v2/purpose/${encodeURIComponent(name)}`, {
        key: ADMIN,
      });
      const stored = answer.status === 200 ? Number(/"v(\d+)"/.exec(answer.text)?.[1] ?? 0) : 0;
      if (stored < at) lost++;
    }
    let killed = false;
    const agent = new Agent({ connections: 8 });
    const writer = async (w: number) => {
      while (!killed) {
        const name = `D${w}-${version % 13}`;
        const v = ++version;
        const answer = await call(server.url, "POST", "/api/v2/purpose", {
          key: ADMIN,
          body: JSON.stringify({ name, description: `v${v}` }),
          agent,
        });
        if (answer.status === 200) {
          writes++;
          acknowledged.set(name, Math.max(acknowledged.get(name) ?? 0, v));
        } else if (answer.status === 0) return;
      }
    };
    const writing = Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
    await new Promise((done) => setTimeout(done, 300 + Math.random() * 700));
    killed = true;
    await server.stop("SIGKILL");
    await writing;
    await agent.close();
  }
  rows.push({
    probe: `kept: ${cycles} kill -9 cycles under 8 concurrent writers (acknowledged writes kept)`,
    tried: writes,
    behaved: writes - lost,
    legitimate: "-",
    worstMs: "-",
    peakMb: "-",
    note: `${lost} lost`,
  });

  const server = await startServer();
  const agent = new Agent({ connections: 128 });
  const answers = await Promise.all(
    Array.from({ length: 2500 }, (_, i) =>
      call(server.url, "POST", "/api/v2/purpose", {
        key: ADMIN,
        body: JSON.stringify({ name: `C${i}` }),
        agent,
      }),
    ),
  );
  const ids = new Set(answers.map((a) => /"purposeId":(\d+)/.exec(a.text)?.[1]));
  const listed = JSON.parse(
    (await call(server.url, "GET", "/api/v2/purpose", { key: ADMIN })).text,
  );
  const bad = await Promise.all(
    Array.from({ length: 420 }, (_, i) =>
      call(server.url, "POST", "/api/v2/purpose", {
        key: i % 2 ? `${ADMIN}x` : "nope",
        body: JSON.stringify({ name: `Bad${i}` }),
        agent,
      }),
    ),
  );
  await agent.close();
  await server.stop();
  rows.push({
    probe: "kept: 2,500 concurrent POSTs (none lost or duplicated)",
    tried: 2500,
    behaved: answers.filter((a) => a.status === 200).length,
    legitimate: "-",
    worstMs: "-",
    peakMb: server.peakMb(),
    note: `${ids.size} distinct ids, ${listed.length} listed`,
  });
  rows.push({
    probe: "kept: 420 requests with bad credentials (expect 401)",
    tried: 420,
    behaved: bad.filter((a) => a.status === 401).length,
    legitimate: "-",
    worstMs: "-",
    peakMb: "-",
  });
  return rows;
}

// ------------------------------------------------------------------------------ main

async function dataDirModes(): Promise<Row> {
  const dataDir = join(tempDir(), "state");
  const server = await startServer([], dataDir);
  await call(server.url, "POST", "/api/v2/data", { key: ADMIN, body: JSON.stringify(acme()) });
  await call(server.url, "POST", "/api/v2/purpose", { key: ADMIN, body: '{"name":"R"}' });
  await server.stop();
  let tried = 0;
  let behaved = 0;
  const walk = (path: string) => {
    const stat = statSync(path);
    tried++;
    if ((stat.mode & 0o777) === (stat.isDirectory() ? 0o700 : 0o600)) behaved++;
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dataDir);
  const files = JSON.stringify(
    readdirSync(dataDir).flatMap((kind) =>
      readdirSync(join(dataDir, kind)).map((f) => readFileSync(join(dataDir, kind, f), "utf8")),
    ),
  );
  return {
    probe: "6. data dir and its files private (0700 / 0600); no key stored",
    tried,
    behaved,
    legitimate: "-",
    worstMs: "-",
    peakMb: "-",
    note: holdsKey(files) ? "a key is stored" : "no key stored",
  };
}

async function main() {
  const rows: Row[] = [];
  const baseline = await startServer();
  const legit = legitimateClient(baseline.url);
  await new Promise((done) => setTimeout(done, 2000));
  const quiet = await legit.stop();
  await baseline.stop();
  rows.push({
    probe: "baseline: no attack",
    tried: 0,
    behaved: 0,
    legitimate: `${quiet.count - quiet.failed}/${quiet.count}`,
    worstMs: quiet.worstMs,
    peakMb: baseline.peakMb(),
  });
  for (const probe of PROBES) {
    if (ONLY && !ONLY.includes(probe.name)) continue;
    const server = await startServer(probe.flags);
    const client = legitimateClient(server.url);
    await new Promise((done) => setTimeout(done, 200));
    let outcome: Outcome;
    try {
      outcome = await probe.run(server);
    } catch (error) {
      outcome = { tried: 0, behaved: 0, note: `probe failed: ${(error as Error).message}` };
    }
    const legitimate = await client.stop();
    const alive = server.alive();
    await server.stop();
    rows.push({
      probe: probe.title,
      ...outcome,
      legitimate: `${legitimate.count - legitimate.failed}/${legitimate.count}`,
      worstMs: legitimate.worstMs,
      peakMb: server.peakMb(),
      note:
        [outcome.note, alive ? undefined : "server died"].filter(Boolean).join("; ") || undefined,
    });
    process.stderr.write(`done: ${probe.name}\n`);
  }
  if (!ONLY || ONLY.includes("data-dir")) rows.push(await dataDirModes());
  if (!ONLY || ONLY.includes("disk")) rows.push(...(await diskProbes()));
  if (!ONLY || ONLY.includes("durability")) rows.push(...(await durability()));

  if (args.includes("--json")) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    process.stdout.write(
      `Server: ${REPO} (${createHash("sha1").update(REPO).digest("hex").slice(0, 6)}), ulimit -n 1024\n\n` +
        "| probe | tried | behaved | legitimate OK | worst legitimate (ms) | peak server RSS (MB) | note |\n" +
        "|---|---:|---:|---:|---:|---:|---|\n" +
        rows
          .map(
            (r) =>
              `| ${r.probe} | ${r.tried} | ${r.behaved} | ${r.legitimate} | ${r.worstMs} | ${r.peakMb} | ${r.note ?? ""} |`,
          )
          .join("\n") +
        "\n",
    );
  }
}

main()
  .catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });
