/**
 * A governance stack under test: synthesized in-process into a temporary directory, deployed by
 * the real `terraform` against an embedded server running in this process, with the server's
 * state and request log at hand for assertions.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, LocalBackend, PgBackend, TerraformStack } from "cdktf";
import { ImmutaProvider, type ImmutaProviderProps } from "../../providers";
import {
  startServer,
  type RequestLogEntry,
  type RunningServer,
  type ServerOptions,
} from "../../src/server";
import { run } from "../../src/cli/run";
import { captureIo } from "../helpers/capture-io";
import { terraform, terraformBinary, terraformEnv, type Run } from "./terraform";

export const API_KEY = "e2e-api-key-0123456789";

export type StackBuilder = (stack: TerraformStack, provider: ImmutaProvider) => void;

export class GovernanceStack {
  static async start(
    serverOptions: ServerOptions = {},
    providerProps: ImmutaProviderProps = {},
  ): Promise<GovernanceStack> {
    const server = await startServer({ apiKeys: [{ key: API_KEY }], ...serverOptions });
    return new GovernanceStack(server, providerProps);
  }

  /** A stack deploying to a server the test runs (and closes) itself. */
  static on(server: RunningServer, providerProps: ImmutaProviderProps = {}): GovernanceStack {
    const stack = new GovernanceStack(server, providerProps);
    stack.ownsServer = false;
    stack.seen = server.requests().length;
    return stack;
  }

  /** A second stack on the server of another (which keeps closing it): two teams, one tenant. */
  static beside(other: GovernanceStack, providerProps: ImmutaProviderProps = {}): GovernanceStack {
    const stack = new GovernanceStack(other.server, providerProps);
    stack.ownsServer = false;
    stack.seen = other.server.requests().length;
    return stack;
  }

  private ownsServer = true;

  readonly outdir = mkdtempSync(join(tmpdir(), "immuta-e2e-"));
  readonly dir = join(this.outdir, "stacks", "governance");
  /** Extra environment for Terraform (secrets for `$env` placeholders, ...). */
  env: NodeJS.ProcessEnv = {};
  private initialized = false;
  private seen = 0;

  private constructor(
    public server: RunningServer,
    private providerProps: ImmutaProviderProps,
  ) {}

  /** Changes the provider's settings for the next synth. */
  reconfigure(providerProps: ImmutaProviderProps): void {
    this.providerProps = providerProps;
  }

  /**
   * Replaces the server by one with other options (faults, say), on the same data directory:
   * the stack keeps its state, and Immuta keeps what it holds.
   */
  async restartServer(serverOptions: ServerOptions & { dataDir: string }): Promise<void> {
    this.newRequests();
    await this.server.close();
    this.server = await startServer({ apiKeys: [{ key: API_KEY }], ...serverOptions });
    this.seen = 0;
    this.ownReads.clear();
  }

  /** Where the next synth puts the state: PostgreSQL when set, else a local file. */
  private pg: { connStr: string; schemaName: string } | undefined;

  /**
   * Keeps the state in PostgreSQL (Terraform's `pg` backend), in a schema of its own: stacks given
   * the same schema share one state, as two checkouts of one stack in two CI pipelines do.
   */
  usePgBackend(connStr: string, schemaName: string): void {
    this.pg = { connStr, schemaName };
  }

  /** The state as its backend holds it now (`terraform state pull`), parsed; {} when none. */
  async pulledState(): Promise<{ serial?: number; resources?: unknown[]; outputs?: object }> {
    const pulled = await this.terraform("state", "pull");
    if (pulled.code !== 0) throw new Error(`terraform state pull failed:\n${pulled.output}`);
    return pulled.stdout.trim() === "" ? {} : JSON.parse(pulled.stdout);
  }

  /** Synthesizes the stack as `build` describes it now (the code of one commit, as it were). */
  synth(build: StackBuilder): void {
    const app = new App({ outdir: this.outdir, skipValidation: true });
    const stack = new TerraformStack(app, "governance");
    // Relative to the stack directory, where Terraform runs.
    if (this.pg) new PgBackend(stack, this.pg);
    else new LocalBackend(stack, { path: "terraform.tfstate" });
    const provider = new ImmutaProvider(stack, "immuta", this.providerProps);
    build(stack, provider);
    app.synth();
  }

  private environment(): NodeJS.ProcessEnv {
    return terraformEnv({
      IMMUTA_URL: this.server.url,
      IMMUTA_API_KEY: API_KEY,
      DWH_PASSWORD: "dwh-password",
      ...this.env,
    });
  }

  async terraform(...args: string[]): Promise<Run> {
    if (!this.initialized) {
      const init = await terraform(
        ["init", "-input=false", "-no-color"],
        this.dir,
        this.environment(),
      );
      if (init.code !== 0) throw new Error(`terraform init failed:\n${init.output}`);
      this.initialized = true;
    }
    return terraform([...args, "-no-color"], this.dir, this.environment());
  }

  /** `terraform apply`; fails the test with Terraform's output unless `expectFailure`. */
  async apply(options: { expectFailure?: boolean } = {}): Promise<Run> {
    const result = await this.terraform("apply", "-auto-approve", "-input=false");
    if ((result.code === 0) === Boolean(options.expectFailure)) {
      throw new Error(`terraform apply exited ${result.code}:\n${result.output}`);
    }
    return result;
  }

  /**
   * Starts `terraform apply` in a process group of its own, as a CI runner would run a deploy,
   * so that the whole group can be killed at once (SIGKILL: a lost runner, an OOM kill).
   */
  async startApply(): Promise<{ killed: Promise<void>; kill(): void }> {
    await this.terraform("version"); // initializes the stack directory first
    const child = spawn(
      terraformBinary(this.environment()),
      [`-chdir=${this.dir}`, "apply", "-auto-approve", "-input=false", "-no-color"],
      { cwd: this.dir, env: this.environment(), detached: true, stdio: "ignore" },
    );
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    return {
      killed: exited,
      kill: () => {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      },
    };
  }

  /** Runs immuta-v2 in-process, in the stack directory, with the stack's environment. */
  async cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const out = captureIo({ cwd: this.dir, env: this.environment() });
    const code = await run(argv, out.io);
    return { code, stdout: out.stdout(), stderr: out.stderr() };
  }

  /** The raw state file, as Terraform last persisted it. */
  stateText(): string {
    try {
      return readFileSync(join(this.dir, "terraform.tfstate"), "utf8");
    } catch {
      return "";
    }
  }

  async destroy(): Promise<Run> {
    const result = await this.terraform("destroy", "-auto-approve", "-input=false");
    if (result.code !== 0)
      throw new Error(`terraform destroy exited ${result.code}:\n${result.output}`);
    return result;
  }

  /** The requests the server received since the last call (the calls one deploy caused). */
  newRequests(): RequestLogEntry[] {
    const all = this.server.requests();
    const fresh = all.slice(this.seen).filter((_, i) => !this.ownReads.has(this.seen + i));
    this.seen = all.length;
    return fresh;
  }

  /** Log positions of the test's own reads (keys, get), which are not the deploy's calls. */
  private readonly ownReads = new Set<number>();

  private async read(path: string): Promise<Response> {
    const response = await fetch(`${this.server.url}${path}`, {
      headers: { authorization: API_KEY },
    });
    await response.clone().arrayBuffer();
    this.ownReads.add(this.server.requests().length - 1);
    return response;
  }

  /** What the server holds of a kind: its keys. */
  async keys(kind: string): Promise<string[]> {
    const response = await this.read(`/api/v2/${kind}`);
    const body = (await response.json()) as string[] | { keys?: string[] };
    return Array.isArray(body) ? body : (body.keys ?? []);
  }

  async get(kind: string, key: string): Promise<Record<string, unknown> | undefined> {
    const response = await this.read(`/api/v2/${kind}/${encodeURIComponent(key)}`);
    return response.status === 404
      ? undefined
      : ((await response.json()) as Record<string, unknown>);
  }

  async close(): Promise<void> {
    // Requests served without being read (seen) do not matter here.
    this.newRequests();
    if (this.ownsServer) await this.server.close();
    rmSync(this.outdir, { recursive: true, force: true });
  }
}

/** Resolves once `condition` holds, checking every 20 ms; fails after `timeoutMs`. */
export async function eventually(
  condition: () => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * `METHOD kind key` lines, sorted, to compare a deploy's calls whatever Terraform's parallelism.
 * A dry run reads `METHOD? kind key`: the guard's and the confirm step's checks change nothing.
 */
export function calls(requests: readonly RequestLogEntry[]): string[] {
  return requests.map(call).sort();
}

export function call(r: RequestLogEntry): string {
  const dry = r.query?.dryRun === "true" ? "?" : "";
  return `${r.method}${dry} ${r.kind ?? "?"} ${r.key ?? ""}`.trim();
}
