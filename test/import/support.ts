/**
 * A tenant to import from: the embedded server in this process, populated with Immuta's documented
 * examples (test/fixtures/seed), a generated tenant (the bench's payloads) and the cases that
 * round-trip least easily; and the means to deploy what import wrote, short of Terraform: the
 * constructs it makes, their payloads as a deploy sends them, and a dry-run POST of each.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, DefaultTokenResolver, StringConcat, TerraformStack, Tokenization } from "cdktf";
import {
  catalogFor,
  dataSourcePayload,
  policyPayload,
  projectPayload,
  purposePayload,
} from "../../bench/lib/payloads";
import { ImmutaClient } from "../../src/client/client";
import { pathSegments } from "../../src/import/write-files";
import { KEY_FIELD } from "../../src/payload/kinds";
import { ImmutaObject, ImmutaProvider, PayloadDirectory } from "../../src";
import type { Kind } from "../../src/payload/kinds";
import { resolveSecrets } from "../../src/payload/secrets";
import type { AnyPayload, AnyQuery } from "../../src/payload/types";
import { DEFAULT_CATALOG, startServer, type RunningServer } from "../../src/server";
import { API_KEY, CLIENT_SECRET, DB_PASSWORD } from "../client/fixtures";
import { seedPayloads } from "../payload/fixtures";
import { projectFlags } from "./recording-constructs";

export { API_KEY, CLIENT_SECRET, DB_PASSWORD };

/** The order a tenant is populated in: what others name first. */
const ORDER: readonly Kind[] = ["purpose", "data", "policy", "project"];

/** The value the seed's `{ $env: DATABRICKS_TOKEN }` held when the tenant was populated. */
export const DATABRICKS_TOKEN = "dapi-token-Vb7c2Nx5q";

const REPO = join(__dirname, "..", "..");

/** A TypeScript text as prettier formats it with the repository's settings (.prettierrc.json). */
export function prettier(text: string): string {
  const run = spawnSync(
    process.execPath,
    [
      join(REPO, "node_modules", "prettier", "bin", "prettier.cjs"),
      "--stdin-filepath",
      join(REPO, "src", "generated.ts"),
    ],
    { input: text, encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`prettier failed: ${run.stderr}`);
  return run.stdout;
}

const temps: string[] = [];

/** A temporary directory, removed after the test file. */
export function tempDir(name = "immuta-import-"): string {
  const dir = mkdtempSync(join(tmpdir(), name));
  temps.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** One object put into the tenant, and the query flags it was applied with. */
export interface Seeded {
  readonly kind: Kind;
  readonly payload: object;
  readonly query?: Partial<AnyQuery>;
}

/** A query source, owners emptied, and values YAML must quote (posted twice: a table dropped). */
const INTERNAL_DWH = {
  connectionKey: "internal dwh",
  connection: {
    handler: "PostgreSQL",
    hostname: "dwh.internal.example",
    port: 5432,
    database: "ANALYTICS",
    username: "yes",
    password: DB_PASSWORD,
  },
  nameTemplate: { dataSourceFormat: "dwh <schema> <tablename>" },
  owners: [],
  options: { hardDelete: false, tableTags: ["on", "123", "Source: DWH #1"] },
  sources: [
    { table: "orders", schema: "public" },
    {
      query: "select * from public.leads where email like '%@%'",
      naming: { datasource: "leads q" },
    },
    { table: "campaigns", schema: "marketing" },
  ],
};

/** Objects that exercise what a plain payload does not: the tenant's own state, secrets, names. */
export const EDGE_CASES: readonly Seeded[] = [
  // Every table the connection sees, and a project naming one of them (a reference import must
  // find from the tenant's report, as the payload does not list it).
  {
    kind: "data",
    payload: {
      connectionKey: "acme/all tables",
      connection: {
        handler: "Snowflake",
        hostname: "acme.snowflakecomputing.com",
        database: "ANALYTICS",
        warehouse: "COMPUTE_WH",
        authenticationMethod: "oAuthClientCredentials",
        useCertificate: false,
        clientId: "immuta",
        clientSecret: CLIENT_SECRET,
        userFiles: [{ keyName: "PRIV_KEY_FILE", content: DB_PASSWORD, userFilename: "key.p8" }],
      },
      sources: [{ all: true }],
    },
  },
  {
    kind: "project",
    payload: {
      projectKey: "customers/ops",
      name: "Customer operations",
      datasources: ["public.customers"],
      workspace: { type: "snowflake", config: { schema: "OPS", warehouses: ["WH"] } },
    },
    query: { deleteDataSourcesOnWorkspaceDelete: true },
  },
  // A query source, owners emptied, a table later dropped from the payload (disabled), and
  // values YAML must quote.
  { kind: "data", payload: INTERNAL_DWH },
  { kind: "data", payload: { ...INTERNAL_DWH, sources: INTERNAL_DWH.sources.slice(0, 2) } },
  // Names that need the tenant's naming template, and a query source (no construct names it).
  {
    kind: "project",
    payload: {
      projectKey: "dwh reports",
      name: "DWH reports",
      purposes: ['Ünïcode & "quotes"'],
      datasources: ["dwh public orders", "leads q"],
    },
  },
  {
    kind: "purpose",
    payload: {
      name: 'Ünïcode & "quotes"',
      description: "Line one\nline two: with a colon\n",
      acknowledgement: "It's fine",
    },
    query: { reAcknowledgeRequired: true },
  },
  {
    kind: "policy",
    payload: {
      policyKey: "recertified",
      name: "Re-certified",
      type: "subscription",
      actions: { type: "manual" },
      certification: { text: "Checked", recertify: true },
    },
    query: { reCertify: true },
  },
];

/** The generated tenant's payloads: `count` objects, a quarter of each kind. */
export function generatedTenant(count: number): Seeded[] {
  const out: Seeded[] = [];
  for (let i = 0; i < count / 4; i++) {
    out.push({ kind: "purpose", payload: purposePayload(i) });
    out.push({ kind: "data", payload: dataSourcePayload(i) });
    out.push({ kind: "policy", payload: policyPayload(i) });
    out.push({ kind: "project", payload: projectPayload(i) });
  }
  return out;
}

/** The documented examples, as payload files hold them. */
export function documentedExamples(): Seeded[] {
  return seedPayloads().map(({ kind, payload }) => ({ kind, payload: payload as object }));
}

/** The environment the populating client resolved placeholders from. */
export const SEED_ENV = { DATABRICKS_TOKEN, DWH_PASSWORD: DB_PASSWORD };

export interface Tenant {
  readonly server: RunningServer;
  readonly client: ImmutaClient;
  close(): Promise<void>;
}

/** An embedded server holding the given objects (applied in dependency order). */
export async function tenant(objects: readonly Seeded[], generated = 0): Promise<Tenant> {
  const generatedCatalog = catalogFor(generated / 4).connections;
  const server = await startServer({
    apiKeys: [{ key: API_KEY }],
    catalog: { connections: [...DEFAULT_CATALOG.connections, ...generatedCatalog] },
  });
  const client = new ImmutaClient({ url: server.url, apiKey: API_KEY, retries: 0 });
  const close = async () => {
    await client.close();
    await server.close();
  };
  try {
    for (const { kind, payload, query } of ORDER.flatMap((k) =>
      objects.filter((o) => o.kind === k),
    )) {
      const { payload: resolved } = resolveSecrets(payload, SEED_ENV);
      await client.apply(kind, resolved as never, query as never);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { server, client, close };
}

/** What a deploy of one object would send: its kind, payload (references resolved) and flags. */
export interface Deployed {
  readonly kind: Kind;
  readonly key: string;
  readonly payload: AnyPayload;
  readonly query: Partial<AnyQuery>;
}

/** The objects a governance folder makes, through PayloadDirectory, as a deploy sends them. */
export function deployFiles(folder: string): Deployed[] {
  return synthesize((stack) => new PayloadDirectory(stack, "governance", { path: folder }));
}

/**
 * The objects a generated TypeScript module makes, run in this process: its `cdktf-immuta` import
 * points at this repository's sources (as tsconfig.json maps it for the compiler), through
 * ./recording-constructs, which also records the projects' query flags.
 */
export function deployModule(file: string): Deployed[] {
  const runnable = join(tempDir("immuta-import-module-"), "governance.ts");
  const source = readFileSync(file, "utf8").replace(
    /from "cdktf-immuta";/,
    `from ${JSON.stringify(join(__dirname, "recording-constructs"))};`,
  );
  writeFileSync(runnable, source);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module written at run time
  const { governance } = require(runnable) as {
    governance: (scope: TerraformStack, provider?: ImmutaProvider) => void;
  };
  return synthesize((stack, provider) => governance(stack, provider));
}

function synthesize(build: (stack: TerraformStack, provider: ImmutaProvider) => void): Deployed[] {
  const app = new App({ outdir: tempDir("immuta-import-synth-"), skipValidation: true });
  const stack = new TerraformStack(app, "governance");
  const provider = new ImmutaProvider(stack, "immuta");
  build(stack, provider);
  return stack.node
    .findAll()
    .filter((c): c is ImmutaObject => c instanceof ImmutaObject)
    .map((object) => ({
      kind: object.kind,
      key: object.key,
      payload: Tokenization.resolve(object.payload, {
        scope: stack,
        resolver: new DefaultTokenResolver(new StringConcat()),
      }) as AnyPayload,
      query: flagsOf(object),
    }));
}

/** The query flags a construct was given (props, not payload), where a test can see them. */
function flagsOf(object: ImmutaObject): Partial<AnyQuery> {
  const flags = projectFlags.get(object);
  return flags?.deleteDataSourcesOnWorkspaceDelete
    ? { deleteDataSourcesOnWorkspaceDelete: true }
    : {};
}

/**
 * Each object POSTed back with `dryRun=true`, secrets from `env`: what the tenant says a deploy
 * would change, one line per object it would change (none when adoption changes nothing).
 */
export async function dryRunChanges(
  client: ImmutaClient,
  deployed: readonly Deployed[],
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  const changes: string[] = [];
  for (const { kind, key, payload, query } of deployed) {
    const { payload: resolved } = resolveSecrets(payload, env);
    const answer = (await client.apply(
      kind,
      resolved as never,
      { ...query, dryRun: true } as never,
    )) as unknown as Record<string, unknown>;
    const changed =
      kind === "data"
        ? ["creating", "updating", "deleting", "disabling"].filter(
            (list) => (answer[list] as unknown[]).length > 0,
          )
        : ["creating", "updating"].filter((flag) => answer[flag] === true);
    if (kind === "data" && answer.tagsUpdated === true) changed.push("tagsUpdated");
    if (changed.length > 0)
      changes.push(`${kind} ${JSON.stringify(key)}: ${JSON.stringify(answer)}`);
  }
  return changes;
}

export interface ListedSecret {
  readonly variable: string;
  readonly kind: Kind;
  readonly key: string;
  readonly path: string;
}

/** The values a person would set: each listed variable holds what the tenant holds there. */
export function secretEnvironment(secrets: readonly ListedSecret[], seeded: readonly Seeded[]) {
  const env: NodeJS.ProcessEnv = {};
  for (const secret of secrets) {
    // The last payload applied under the key is what the tenant holds.
    const applied = seeded.filter(
      (s) =>
        s.kind === secret.kind &&
        (s.payload as Record<string, unknown>)[KEY_FIELD[s.kind]] === secret.key,
    );
    let value: unknown = resolveSecrets(applied[applied.length - 1].payload, SEED_ENV).payload;
    for (const segment of pathSegments(secret.path))
      value = (value as Record<string, unknown>)[segment];
    env[secret.variable] = value as string;
  }
  return env;
}
