/**
 * One Immuta tenant: where the V2 API is, how to authenticate, and how its objects are carried.
 * Not a Terraform provider (nothing to download): a construct whose settings every object of
 * the tenant synthesizes into its provisioner commands, and which owns the tenant's resources
 * (tenant.ts).
 */
import { Construct, TerraformStack, Token, type TerraformResource } from "./cdk";
import { SynthError } from "../src/errors";
import type { ConnectionSettings } from "../src/layout/connection";
import { connectionArgs } from "../src/layout/connection";
import { tenantPrefix } from "../src/layout/names";
import { KIND_LABEL, type Kind } from "../src/payload/kinds";
import { ENV_NAME } from "../src/payload/secrets";
import type { Carrier, CarrierName, CliArgs } from "./carrier";
import { defaultCliCommand } from "./cli-invocation";
import { LegacyMoves } from "./legacy-moves";
import { TenantResources, type InstanceValue } from "./tenant";
import { PayloadFiles } from "./payload-transport";
import { addressOf, escapeTemplate } from "./terraform-values";

export interface ImmutaProviderProps {
  /**
   * The tenant's URL, e.g. `https://acme.immuta.example`.
   * @default the `IMMUTA_URL` environment variable at apply time (how CI points a stack at the
   * embedded server)
   */
  readonly url?: string;
  /**
   * The name of the environment variable holding the API key at apply time. The key itself
   * never enters the configuration, the state or a process list.
   * @default "IMMUTA_API_KEY"
   */
  readonly apiKeyEnv?: string;
  /**
   * How the key is sent: `Authorization: Bearer <key>`, or the raw key as Immuta's V2 docs show.
   * @default "bearer"
   */
  readonly authHeader?: "bearer" | "raw";
  /**
   * Seconds a data source POST waits for its data sources to be created (`wait`); below 0 waits
   * indefinitely. Each `DataSource` may override it.
   * @default 300
   */
  readonly wait?: number;
  /**
   * The Terraform resource that carries the calls. `null_resource` needs the hashicorp/null
   * provider from the Terraform registry.
   * @default "terraform_data"
   */
  readonly carrier?: CarrierName;
  /**
   * Seconds before one HTTP request is abandoned (and retried).
   * @default the CLI's default
   */
  readonly timeoutSeconds?: number;
  /**
   * How many times a failed request (connection error, 429, 502, 503, 504) is retried.
   * @default the CLI's default
   */
  readonly retries?: number;
  /**
   * The command that starts the `immuta-v2` CLI at apply time, e.g. `["immuta-v2"]` when it is
   * installed globally on the machine that applies.
   * @default `node` with this package's bin, by a path relative to the stack directory
   */
  readonly cliCommand?: string[];
  /**
   * Let this stack take over any object Immuta already holds under a key it declares, on its
   * first deploy of that object. Without it, such an object fails the deploy before anything is
   * written (import it, or set `adopt: true` on that object alone).
   * @default false
   */
  readonly adoptExisting?: boolean;
}

const DEFAULT_WAIT_SECONDS = 300;

export class ImmutaProvider extends Construct {
  /**
   * The provider an object uses: the one given, or else the stack's only one.
   * @param scope the object's construct, named in errors
   */
  static of(scope: Construct, given?: ImmutaProvider): ImmutaProvider {
    if (given) return given;
    const stack = TerraformStack.of(scope);
    const providers = PROVIDERS.get(stack) ?? [];
    if (providers.length === 1) return providers[0];
    if (providers.length === 0) {
      throw new SynthError(
        `${scope.node.path}: no ImmutaProvider in stack "${stack.node.id}": add one before the ` +
          `objects, e.g. new ImmutaProvider(stack, "immuta", { url: "https://acme.immuta.example" })`,
      );
    }
    throw new SynthError(
      `${scope.node.path}: stack "${stack.node.id}" has ${providers.length} ImmutaProviders ` +
        `(${providers.map((p) => p.node.path).join(", ")}); pass \`provider\` to choose one`,
    );
  }

  /** The stack output recording what this tenant's last deploy confirmed. */
  readonly manifestOutputName: string;
  readonly wait: number;
  /** The prefix of this tenant's resource names in the stack (from the construct id). */
  readonly prefix: string;
  private readonly carrier: Carrier;
  private readonly resources: TenantResources;
  /** `kind/key` → the path of the construct that manages it. */
  private readonly managed = new Map<string, string>();

  constructor(scope: Construct, id: string, props: ImmutaProviderProps = {}) {
    super(scope, id);
    checkProps(this.node.path, props);
    this.wait = props.wait ?? DEFAULT_WAIT_SECONDS;
    this.carrier = loadCarrier(props.carrier ?? "terraform_data", this.node.path);
    this.prefix = tenantPrefix(id);
    const stack = TerraformStack.of(this);
    const sibling = (PROVIDERS.get(stack) ?? []).find((p) => p.prefix === this.prefix);
    if (sibling) {
      throw new SynthError(
        `${this.node.path}: its resources would be named "${this.prefix}_...", as ` +
          `${sibling.node.path}'s are; give one of them another id`,
      );
    }
    const connection: ConnectionSettings = {
      url: props.url,
      apiKeyEnv: props.apiKeyEnv,
      authHeader: props.authHeader,
      timeoutSeconds: props.timeoutSeconds,
      retries: props.retries,
    };
    const command = props.cliCommand ?? defaultCliCommand(this);
    const cli: CliArgs = {
      forCommand: (name) => [...command, name, ...connectionArgs(connection)],
    };
    const url = props.url ?? "$IMMUTA_URL";
    this.resources = new TenantResources(this, {
      prefix: this.prefix,
      carrier: this.carrier,
      cli,
      connection,
      tenant: url,
      legacyTenant: `${url} (${this.node.path})`,
      adoptExisting: props.adoptExisting === true,
    });
    this.manifestOutputName = this.resources.outputName;
    // Made now, not with the first object that needs them: their synthesis also removes what an
    // earlier synth wrote (payload files, moved blocks) once nothing needs it any more.
    PayloadFiles.of(this);
    LegacyMoves.of(this);
    PROVIDERS.set(stack, [...(PROVIDERS.get(stack) ?? []), this]);
  }

  /** The block holding one kind's objects of this tenant. */
  blockOf(kind: Kind): TerraformResource {
    return this.resources.blocks[kind];
  }

  /**
   * Enrols an object in this tenant: an instance of its kind's block.
   * @internal used by the constructs
   */
  manage(
    scope: Construct,
    spec: { kind: Kind; key: string; value: InstanceValue; adopt: boolean },
  ): { resource: TerraformResource; address: string } {
    const entry = `${spec.kind}/${spec.key}`;
    const existing = this.managed.get(entry);
    if (existing) {
      throw new SynthError(
        `${scope.node.path}: ${KIND_LABEL[spec.kind]} "${spec.key}" is already defined by ` +
          `${existing} for this tenant; each key may be managed once`,
      );
    }
    this.managed.set(entry, scope.node.path);
    const resource = this.resources.add(spec.kind, spec.key, spec.value, spec.adopt);
    const block = addressOf(resource);
    LegacyMoves.of(this).add(scope, this.carrier.name, block, spec.key);
    // As Terraform reads an address: a `${` in the key is written `$${`.
    return { resource, address: `${block}[${JSON.stringify(escapeTemplate(spec.key))}]` };
  }
}

const PROVIDERS = new WeakMap<TerraformStack, ImmutaProvider[]>();

/** Settings that would only fail at apply time are refused at synth, naming the provider. */
function checkProps(path: string, props: ImmutaProviderProps): void {
  const problems: string[] = [];
  if (props.url !== undefined && Token.isUnresolved(props.url)) {
    problems.push(
      "url must be known at synth, as destroy-time steps can read nothing else; to choose it " +
        "at apply time, leave it out and set IMMUTA_URL",
    );
  }
  if (props.apiKeyEnv !== undefined && !ENV_NAME.test(props.apiKeyEnv)) {
    problems.push(
      "apiKeyEnv must be the name of an environment variable, not a key (letters, digits and " +
        `_; got ${props.apiKeyEnv.length} characters)`,
    );
  }
  if (props.wait !== undefined && !Number.isInteger(props.wait)) {
    problems.push(
      `wait must be a whole number of seconds, below 0 to wait indefinitely (got ${props.wait})`,
    );
  }
  if (props.timeoutSeconds !== undefined && !(props.timeoutSeconds > 0)) {
    problems.push(`timeoutSeconds must be above 0 (got ${props.timeoutSeconds})`);
  }
  if (props.retries !== undefined && !(Number.isInteger(props.retries) && props.retries >= 0)) {
    problems.push(`retries must be a whole number, 0 or more (got ${props.retries})`);
  }
  if (problems.length > 0) throw new SynthError(`${path}: ${problems.join("; ")}`);
}

function loadCarrier(name: CarrierName, path: string): Carrier {
  /* eslint-disable @typescript-eslint/no-require-imports -- the null provider's bindings are
     loaded only by stacks that choose that carrier */
  if (name === "terraform_data") return require("./terraform-data-carrier").terraformDataCarrier;
  if (name === "null_resource") return require("./null-resource-carrier").nullResourceCarrier;
  throw new SynthError(
    `${path}: carrier must be "terraform_data" or "null_resource" (got "${name}")`,
  );
}
