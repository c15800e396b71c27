/**
 * Issue 16.2, C18 of ../shared/spec/convergence.md: two `cdktf deploy` of one stack started
 * together, from two checkouts (two CI pipelines), the state in PostgreSQL. One holds Terraform's
 * state lock; the other fails on it, or waits for it with -lock-timeout. Either way the state stays
 * whole, each object is POSTed once, and the end state is converged.
 *
 * A proxy holds the first deploy's writes until the test has seen the second one fail or wait, so
 * the two deploys really overlap, however fast or slow the machine.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer } from "../../../src/server";
import { startCdktf, writeCdktfApp, type RunningCommand } from "../../helpers/cdktf-app";
import { startGatedProxy, type GatedProxy } from "../../helpers/gated-proxy";
import { describeWithPostgres, dropSchemas, query, uniqueSchema } from "../../helpers/postgres";
import { calls, eventually } from "../harness";
import { terraform, terraformEnv } from "../terraform";

jest.setTimeout(240_000);

const API_KEY = "team-concurrency-key";

const governance = (research = "v1") => `
  const research = new lib.Purpose(stack, "research", { name: "Research", description: "${research}" });
  const marketing = new lib.Purpose(stack, "marketing", { name: "Marketing" });
  const dwh = new lib.DataSource(stack, "dwh", {
    connectionKey: "dwh",
    connection: {
      handler: "Snowflake", hostname: "acme.snowflakecomputing.com", database: "ANALYTICS",
      warehouse: "COMPUTE_WH", authenticationMethod: "userPassword", username: "immuta",
      password: lib.Secret.fromEnv("DWH_PASSWORD"),
    },
    sources: [{ table: "customers", schema: "public" }],
  });
  new lib.Project(stack, "fraud", {
    projectKey: "fraud", name: "Fraud", purposes: [research, marketing],
    datasources: [dwh.dataSourceName("public", "customers")],
  });
`;

/** The requests of one first deploy of governance(): the guard's dry runs, then the writes. */
const ONE_DEPLOY = [
  "DELETE? data dwh",
  "DELETE? project fraud",
  "DELETE? purpose Marketing",
  "DELETE? purpose Research",
  "POST data dwh",
  "POST project fraud",
  "POST purpose Marketing",
  "POST purpose Research",
];

const LOCK_ERROR = /Error acquiring the state lock/;

describeWithPostgres("two deploys of one stack at once, state in PostgreSQL (C18)", (connStr) => {
  let server: RunningServer;
  let proxy: GatedProxy;
  let work: string;
  let schema: string;
  const started: RunningCommand[] = [];
  const schemas: string[] = [];

  beforeEach(async () => {
    server = await startServer({ apiKeys: [{ key: API_KEY }] });
    // Writes wait at the gate; the guard's dry runs go through.
    proxy = await startGatedProxy(
      server.url,
      (method, path) => method !== "GET" && !path.includes("dryRun=true"),
    );
    work = mkdtempSync(join(tmpdir(), "immuta-team-lock-"));
    schema = uniqueSchema("lock");
    schemas.push(schema);
    commit(governance());
  });
  afterEach(async () => {
    for (const command of started.splice(0)) command.stop();
    await proxy.close();
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });
  afterAll(() => dropSchemas(connStr, schemas));

  const env = (extra: NodeJS.ProcessEnv = {}) =>
    terraformEnv({
      IMMUTA_URL: proxy.url,
      IMMUTA_API_KEY: API_KEY,
      DWH_PASSWORD: "dwh-password",
      CI: "1",
      ...extra,
    });
  const deploy = (checkout: string, extra?: NodeJS.ProcessEnv) => {
    const command = startCdktf(join(work, checkout), ["deploy", "--auto-approve"], env(extra));
    started.push(command);
    return command;
  };
  /** The same code in both checkouts. */
  const commit = (body: string) => {
    for (const checkout of ["ci-1", "ci-2"]) {
      writeCdktfApp(join(work, checkout), connStr, [{ name: "governance", schema, body }]);
    }
  };
  const stackDir = (checkout: string) => join(work, checkout, "cdktf.out", "stacks", "governance");

  async function purposeDescription(): Promise<unknown> {
    const response = await fetch(`${server.url}/api/v2/purpose/Research`, {
      headers: { authorization: API_KEY },
    });
    return ((await response.json()) as { description?: unknown }).description;
  }

  /** The stack is converged and its state whole, seen from either checkout. */
  async function expectConverged(): Promise<void> {
    const requests = server.requests().length;
    for (const checkout of ["ci-1", "ci-2"]) {
      const plan = await terraform(
        ["plan", "-detailed-exitcode", "-input=false", "-no-color"],
        stackDir(checkout),
        env({ IMMUTA_URL: server.url }),
      );
      expect(plan.code).toBe(0);
    }
    const pulled = await terraform(["state", "pull"], stackDir("ci-1"), env());
    const state = JSON.parse(pulled.stdout) as { resources: { instances: unknown[] }[] };
    // The guard, an instance per object, a confirm step per kind: each once.
    const instances = state.resources.reduce((n, r) => n + r.instances.length, 0);
    expect(instances).toBe(1 + 4 + 4);
    // One state row, for the default workspace: no second state was started beside it.
    const rows = await query(connStr, `SELECT name FROM "${schema}".states`);
    if (rows) expect(rows).toEqual([["default"]]);
    expect(server.requests().length).toBe(requests);
  }

  it("without a lock timeout: the second fails on Terraform's lock before any request", async () => {
    // Deployed once already, as a stack in use is; then a change is merged and two pipelines run.
    const initial = deploy("ci-1", { IMMUTA_URL: server.url });
    expect(await initial.exited).toBe(0);
    const before = server.requests().length;
    commit(governance("v2"));
    const [one, two] = [deploy("ci-1"), deploy("ci-2")];
    await eventually(() => proxy.held() > 0, "a deploy's first write", 120_000);
    // The deploy holding the lock cannot end while its writes wait: the one ending is the other.
    const first = await Promise.race([
      one.exited.then((code) => ({ code, run: one, other: two })),
      two.exited.then((code) => ({ code, run: two, other: one })),
    ]);
    expect(proxy.held()).toBeGreaterThan(0);
    expect(first.code).not.toBe(0);
    expect(first.run.output()).toMatch(LOCK_ERROR);
    expect(first.run.output()).not.toMatch(/immuta-v2 (guard|apply)/);

    proxy.open();
    const code = await first.other.exited;
    expect({ code, output: code === 0 ? "" : first.other.output() }).toEqual({
      code: 0,
      output: "",
    });
    expect(calls(server.requests().slice(before))).toEqual(["POST purpose Research"]);
    expect(await purposeDescription()).toBe("v2");
    await expectConverged();
  });

  it("with -lock-timeout: the second waits for the lock, then has nothing to do (first deploy)", async () => {
    const wait = {
      TF_CLI_ARGS_plan: "-lock-timeout=300s",
      TF_CLI_ARGS_apply: "-lock-timeout=300s",
    };
    const [one, two] = [deploy("ci-1", wait), deploy("ci-2", wait)];
    const waiting = () => [one, two].find((d) => /Acquiring state lock/.test(d.output()));
    await eventually(
      () => proxy.held() > 0 && waiting() !== undefined,
      "one deploy writing while the other waits for the lock",
      120_000,
    );
    const waiter = waiting()!;
    proxy.open();
    expect(await one.exited).toBe(0);
    expect(await two.exited).toBe(0);
    expect(waiter.output()).not.toMatch(LOCK_ERROR);
    expect(waiter.output()).toMatch(/No changes/);
    expect(calls(server.requests())).toEqual(ONE_DEPLOY);
    await expectConverged();
  });
});
