/**
 * A governance stack under test: synthesized in-process into a temporary directory, deployed by
 * the real `terraform` against an embedded server running in this process, with the server's
 * state and request log at hand for assertions.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { ImmutaProvider, type ImmutaProviderProps } from "../../providers";
import {
  startServer,
  type RequestLogEntry,
  type RunningServer,
  type ServerOptions,
} from "../../src/server";
import { terraform, terraformEnv, type Run } from "./terraform";

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

  readonly outdir = mkdtempSync(join(tmpdir(), "immuta-e2e-"));
  readonly dir = join(this.outdir, "stacks", "governance");
  /** Extra environment for Terraform (secrets for `$env` placeholders, ...). */
  env: NodeJS.ProcessEnv = {};
  private initialized = false;
  private seen = 0;

  private constructor(
    public server: RunningServer,
    private readonly providerProps: ImmutaProviderProps,
  ) {}

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

  /** Synthesizes the stack as `build` describes it now (the code of one commit, as it were). */
  synth(build: StackBuilder): void {
    const app = new App({ outdir: this.outdir, skipValidation: true });
    const stack = new TerraformStack(app, "governance");
    // Relative to the stack directory, where Terraform runs.
    new LocalBackend(stack, { path: "terraform.tfstate" });
    const provider = new ImmutaProvider(stack, "immuta", this.providerProps);
    build(stack, provider);
    app.synth();
  }

  private environment(): NodeJS.ProcessEnv {
    return terraformEnv({ IMMUTA_URL: this.server.url, IMMUTA_API_KEY: API_KEY, ...this.env });
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
    await this.server.close();
    rmSync(this.outdir, { recursive: true, force: true });
  }
}

/** `METHOD kind key` lines, sorted, to compare a deploy's calls whatever Terraform's parallelism. */
export function calls(requests: readonly RequestLogEntry[]): string[] {
  return requests.map((r) => `${r.method} ${r.kind ?? "?"} ${r.key ?? ""}`.trim()).sort();
}
