/**
 * `immuta-v2 access`: the simulator's answers from the command line, for a synthesized stack
 * (simulated in-process) or a running server (POST /api/v2/simulate), as a table or JSON.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ImmutaProvider, TerraformData } from "../../providers";
import { Purpose } from "../../src/constructs";
import type { AccessReport } from "../../src/access";
import type { AnyPayload, DataSourcePayload } from "../../src/payload/types";
import { errorBody } from "../../src/server/http-error";
import { simulateAccess } from "../../src/testing";
import { objectsOfConstructs } from "../../src/testing/read-constructs";
import { API_KEY } from "../client/fixtures";
import { synthStack } from "../helpers/synth";
import { startServer } from "../../src/server";
import { CATALOG, CONNECTION, governance, stackWith, warehouse } from "../testing/support";
import { cli, workdir } from "./harness";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The test governance synthesized, and a catalog file beside it. */
function synthesized(build = governance) {
  const outdir = mkdtempSync(join(tmpdir(), "access-cli-"));
  dirs.push(outdir);
  const { dir } = synthStack((s, p) => build(s, p!), {}, outdir);
  const files = workdir({ "catalog.json": CATALOG });
  dirs.push(files);
  return { dir, catalog: join(files, "catalog.json"), cwd: files };
}

const stack = synthesized();
const local = (...args: string[]) =>
  cli(["access", "--stack-dir", stack.dir, "--catalog", stack.catalog, ...args]);

describe("immuta-v2 access --stack-dir", () => {
  it("prints one line per data source: visibility, subscription, columns, row filters, why", async () => {
    const run = await local("--groups", "Analysts");
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout.split("\n")).toEqual([
      "Access of a user in group Analysts",
      "",
      expect.stringMatching(/^DATA SOURCE +VISIBLE +SUBSCRIPTION +COLUMNS +ROW FILTERS +WHY$/),
      expect.stringMatching(
        /^hr\.salaries +no +manual +hidden +- +hr-manual: only an owner can add users/,
      ),
      expect.stringMatching(
        /^public\.customers +yes +automatic +masked: name \(Hash\) +where country = 'EU' +analysts-subscribe: member of group Analysts: subscribed automatically/,
      ),
      expect.stringMatching(/^public\.orders +yes +automatic +clear +- +analysts-subscribe: /),
      "",
    ]);
  });

  it("--json prints the simulator's report for the user the flags describe", async () => {
    const run = await local(
      "--groups",
      "Analysts,Privacy Officers",
      "--groups",
      "Global Sales",
      "--attributes",
      "region=EU,region=US",
      "--attributes",
      "level=2",
      "--purposes",
      "Research",
      "--project",
      "orders-project",
      "--json",
    );
    expect(run.code).toBe(0);
    const user = {
      groups: ["Analysts", "Privacy Officers", "Global Sales"],
      attributes: { region: ["EU", "US"], level: ["2"] },
      purposes: ["Research"],
      project: "orders-project",
    };
    const expected = simulateAccess(stack.dir, user, { catalog: CATALOG });
    expect(JSON.parse(run.stdout)).toEqual(
      JSON.parse(
        JSON.stringify({
          user: expected.user,
          dataSources: expected.dataSources,
          warnings: expected.warnings,
        }),
      ),
    );
  });

  it("--data-source answers for that data source only, with each column and why", async () => {
    const run = await local("--groups", "Analysts", "--data-source", "public.customers");
    expect(run.code).toBe(0);
    const [, detail] = run.stdout.split("\n\npublic.customers\n");
    expect(detail.split("\n")).toEqual([
      "  id       clear: no masking rule in force targets id, which has no tags; masking rules in force here: mask-pii actions[0].rules[0] (columnTag PII)",
      "  email    clear: no masking rule in force targets email, which has [Contact]; masking rules in force here: mask-pii actions[0].rules[0] (columnTag PII); staged (not enforced): mask-contact-staged actions[0].rules[0] would mask it",
      "  name     masked (Hash): masked (Hash) by mask-pii actions[0].rules[0]: columnTag PII matches its tag PII",
      "  country  clear: no masking rule in force targets country, which has no tags; masking rules in force here: mask-pii actions[0].rules[0] (columnTag PII)",
      "  rows: eu-rows actions[0].rules[0] limits you to rows where country = 'EU'",
      "",
    ]);
    expect(run.stdout).not.toContain("public.orders");
  });

  it("--explain adds what does not apply and which rules do not target each column", async () => {
    const run = await local("--data-source", "public.orders", "--explain");
    expect(run.stdout).toContain(
      "  does not apply: mask-pii (data): columnTags PII: no column is tagged PII or under it",
    );
    const json = JSON.parse(
      (await local("--data-source", "public.orders", "--explain", "--json")).stdout,
    );
    expect(json.dataSources[0].notApplied.map((m: { policyKey: string }) => m.policyKey)).toEqual([
      "eu-rows",
      "hr-manual",
      "mask-pii",
    ]);
  });

  it("colours only on a terminal, and never with NO_COLOR", async () => {
    const args = ["access", "--stack-dir", stack.dir, "--catalog", stack.catalog];
    expect((await cli(args, { tty: true })).stdout).toContain("\x1b[31mno\x1b[0m");
    expect((await cli(args, { tty: true, env: { NO_COLOR: "1" } })).stdout).not.toContain("\x1b[");
    expect((await cli(args)).stdout).not.toContain("\x1b[");
  });

  it("fails on an object known only at apply time, or leaves it out with --skip-unresolved", async () => {
    const late = synthesized((s) => {
      const host = new TerraformData(s, "host", { input: "h" }).getStringAttribute("output");
      warehouse(s, { connection: { ...CONNECTION, hostname: host } });
    });
    const args = ["access", "--stack-dir", late.dir, "--catalog", late.catalog];
    const failed = await cli(args);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      'terraform_data.immuta_data["acme-warehouse"]: connection.hostname: known only at apply time',
    );
    const skipped = await cli([...args, "--skip-unresolved"]);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain("No data sources.");
    expect(skipped.stderr).toBe(
      'immuta-v2: not simulated: data "acme-warehouse" (terraform_data.immuta_data["acme-warehouse"]): ' +
        "connection.hostname is known only at apply time (from another resource), and the " +
        "simulator needs it to say what the data source connection does\n",
    );
  });

  it("simulates the tenant --tenant names when the stack has several", async () => {
    const two = synthesized((s, immuta) => {
      governance(s, immuta);
      const staging = new ImmutaProvider(s, "staging");
      new Purpose(s, "staging-research", { name: "Research", provider: staging });
    });
    const args = ["access", "--stack-dir", two.dir, "--catalog", two.catalog, "--json"];
    const missing = await cli(args);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      "--tenant is required: the stack, which has immuta, staging (a tenant is an ImmutaProvider, named by its id)",
    );
    const unknown = await cli([...args, "--tenant", "prod"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      "--tenant prod: not a tenant of the stack, which has immuta, staging",
    );
    const immuta = await cli([...args, "--tenant", "immuta"]);
    expect(JSON.parse(immuta.stdout).dataSources).toHaveLength(3);
    const staging = await cli([...args, "--tenant", "staging"]);
    expect(JSON.parse(staging.stdout).dataSources).toHaveLength(0);
  });

  it("exits 1 naming what is unknown: a project, a data source, a stack, a catalog", async () => {
    const cases: [string[], string][] = [
      [["--project", "nope"], 'project: no project "nope" (by projectKey or name) in the tenant'],
      [["--data-source", "orders"], 'dataSources[0]: no data source "orders" in the tenant'],
    ];
    for (const [args, message] of cases) {
      const run = await local(...args);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(message);
    }
    const noStack = await cli(["access", "--stack-dir", join(stack.cwd, "nowhere")]);
    expect(noStack.code).toBe(1);
    expect(noStack.stderr).toContain(
      "cannot read the synthesized stack (ENOENT); run cdktf synth first",
    );
    const noCatalog = await cli(["access", "--stack-dir", stack.dir, "--catalog", "missing.yaml"], {
      cwd: stack.cwd,
    });
    expect(noCatalog.code).toBe(1);
    expect(noCatalog.stderr).toContain(`${join(stack.cwd, "missing.yaml")}: cannot read: ENOENT`);
  });

  it("exits 2 on a usage error", async () => {
    const cases: [string[], string][] = [
      [
        ["--stack-dir", stack.dir, "--url", "http://127.0.0.1:1"],
        "give --stack-dir or --url, not both",
      ],
      [[], "no governance to simulate: give --stack-dir DIR (a synthesized stack) or --url URL"],
      [
        ["--stack-dir", stack.dir, "--attributes", "region"],
        '--attributes: "region" is not NAME=VALUE',
      ],
      [["--stack-dir", stack.dir, "--groups", "a,,b"], '--groups: an empty name in "a,,b"'],
      [
        ["--url", "http://127.0.0.1:1", "--catalog", "c.yaml"],
        "--catalog reads a synthesized stack: it goes with --stack-dir, not --url",
      ],
      [["--stack-dir", stack.dir, "--colour"], "Unknown option '--colour'"],
    ];
    for (const [args, message] of cases) {
      const run = await cli(["access", ...args], { onlyEnv: { IMMUTA_API_KEY: API_KEY } });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });

  it("documents its flags and exit codes in --help, and is listed in the top-level help", async () => {
    const help = await cli(["access", "--help"]);
    expect(help.code).toBe(0);
    for (const flag of [
      "--stack-dir",
      "--url",
      "--groups",
      "--attributes",
      "--purposes",
      "--project",
      "--data-source",
      "--assume-approved",
      "--explain",
      "--json",
      "--catalog",
      "--tenant",
      "--caller",
      "--skip-unresolved",
      "--api-key-env",
      "POST /api/v2/simulate",
    ]) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).toMatch(
      /Exit codes:\n {2}0 +answered\n {2}1 .*\n(.*\n)* {2}2 +usage error/,
    );
    expect((await cli(["--help"])).stdout).toMatch(/^ {2}access +who can see what/m);
  });
});

// ------------------------------------------------------------------------------- --url

/** The governance's payloads as a server takes them (a literal password). */
function payloads(): AnyPayload[] {
  const order = ["purpose", "data", "policy", "project"];
  return objectsOfConstructs(stackWith(governance))
    .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))
    .map((o) =>
      o.kind === "data"
        ? ({
            ...(o.payload as DataSourcePayload),
            connection: { ...(o.payload as DataSourcePayload).connection, password: "pw" },
          } as AnyPayload)
        : (o.payload as AnyPayload),
    );
}

/** The embedded server holding the governance: it answers POST /api/v2/simulate. */
async function simulatingServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = await startServer({ catalog: CATALOG as never, apiKeys: [{ key: API_KEY }] });
  for (const payload of payloads()) {
    const kind =
      "connectionKey" in payload
        ? "data"
        : "policyKey" in payload
          ? "policy"
          : "projectKey" in payload
            ? "project"
            : "purpose";
    const answer = await fetch(`${server.url}/api/v2/${kind}`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify(payload),
    });
    if (answer.status !== 200) throw new Error(`${kind}: ${answer.status} ${await answer.text()}`);
  }
  return server;
}

/** A server that has no simulate route, as an Immuta tenant has none: every request is a 404. */
async function tenantWithoutSimulate(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify(errorBody(404, "Not Found")));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("immuta-v2 access --url", () => {
  let server: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    server = await simulatingServer();
  });
  afterAll(() => server.close());

  it("gives the answers the synthesized stack gives, as JSON and as a table", async () => {
    const user = ["--groups", "Analysts", "--project", "orders-project", "--explain"];
    const remote = await cli(["access", "--url", server.url, ...user, "--json"]);
    expect(remote.code).toBe(0);
    const fromStack = await local(...user, "--json");
    expect(fromStack.code).toBe(0);
    expect(JSON.parse(remote.stdout)).toEqual(JSON.parse(fromStack.stdout));
    const table = await cli(["access", "--url", server.url, ...user]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n").slice(0, 2)).toEqual([
      "Access of a user in group Analysts, acting under Research, in project orders-project",
      "Joining project orders-project: only an owner can add users (individual users you select)",
    ]);
    expect(table.stdout).toMatch(/^public\.orders +yes +automatic +clear /m);
    expect(table.stdout).toMatch(
      /^public\.customers +no +automatic +hidden +where country = 'EU' +not in project orders-project/m,
    );
  });

  it("takes the URL from IMMUTA_URL", async () => {
    const run = await cli(["access", "--groups", "Analysts", "--json"], {
      env: { IMMUTA_URL: server.url },
    });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as AccessReport).dataSources).toHaveLength(3);
  });

  it("exits 1 with the server's message when it refuses", async () => {
    const run = await cli(["access", "--url", server.url, "--project", "nope"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "immuta-v2: POST /api/v2/simulate failed with 400 Bad Request: user.project: no project " +
        '"nope" (by projectKey or name) in the tenant; it has orders-project\n',
    );
    const unauthorized = await cli(["access", "--url", server.url], {
      env: { IMMUTA_API_KEY: "not-the-key" },
    });
    expect(unauthorized.code).toBe(1);
    expect(unauthorized.stderr).toContain("failed with 401");
  });

  it("is answered by any embedded server, an empty one included (the route is served, not a test's)", async () => {
    const plain = await startServer({ apiKeys: [{ key: API_KEY }] });
    try {
      const run = await cli(["access", "--url", plain.url, "--groups", "Analysts", "--json"]);
      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect((JSON.parse(run.stdout) as AccessReport).dataSources).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it("says that the endpoint is the embedded server's own when a server lacks it", async () => {
    const tenant = await tenantWithoutSimulate();
    try {
      const run = await cli(["access", "--url", tenant.url]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        "POST /api/v2/simulate is the embedded server's own endpoint (immuta-v2 serve), which " +
          "Immuta's tenants do not have: simulate a synthesized stack with --stack-dir instead",
      );
    } finally {
      await tenant.close();
    }
  });

  it("exits 1 when the server cannot be reached", async () => {
    const run = await cli(["access", "--url", "http://127.0.0.1:1", "--retries", "0"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("POST /api/v2/simulate");
  });
});
