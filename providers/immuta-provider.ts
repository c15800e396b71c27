/**
 * One Immuta tenant: where the V2 API is, how to authenticate, and how its objects are carried.
 * Not a Terraform provider (nothing to download): a construct whose settings every object of
 * the tenant synthesizes into its provisioner commands, and which owns the tenant's prune.
 */
import { Lazy, TerraformOutput, TerraformStack, Token, type TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { SynthError } from "../src/errors";
import { KIND_LABEL } from "../src/payload/kinds";
import { ENV_NAME } from "../src/payload/secrets";
import type { Carrier, CarrierName, CliArgs, ObjectResources, ObjectSpec } from "./carrier";
import { defaultCliCommand } from "./cli-invocation";
import { addDependsOn, escapeTemplate } from "./terraform-values";

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

  /** The stack output recording what this tenant's last successful deploy managed. */
  readonly manifestOutputName: string;
  readonly wait: number;
  /** Says which tenant this is, for the objects' resources: changing it re-applies them. */
  readonly tenant: string;
  private readonly carrier: Carrier;
  private readonly cli: CliArgs;
  /** `kind/key` → the path of the construct that manages it. */
  private readonly managed = new Map<string, string>();
  private readonly prune: TerraformResource;

  constructor(scope: Construct, id: string, props: ImmutaProviderProps = {}) {
    super(scope, id);
    checkProps(this.node.path, props);
    this.wait = props.wait ?? DEFAULT_WAIT_SECONDS;
    this.carrier = loadCarrier(props.carrier ?? "terraform_data", this.node.path);
    this.cli = cliArgs(this, props);
    this.manifestOutputName = `${id.replace(/[^A-Za-z0-9_]/g, "_")}_manifest`;
    // An object moved to another provider, or a provider pointed elsewhere, must be applied anew.
    this.tenant = `${props.url ?? "$IMMUTA_URL"} (${this.node.path})`;
    const stack = TerraformStack.of(this);
    const sibling = (PROVIDERS.get(stack) ?? []).find(
      (p) => p.manifestOutputName === this.manifestOutputName,
    );
    if (sibling) {
      throw new SynthError(
        `${this.node.path}: its list of managed objects would be recorded in the stack output ` +
          `"${this.manifestOutputName}", which ${sibling.node.path} already uses; give one of ` +
          `them another id`,
      );
    }

    const manifest = Lazy.anyValue({
      produce: () => [...this.managed.keys()].sort().map(escapeTemplate),
    });
    const prune = this.carrier.prune(
      this,
      { manifest, outputName: this.manifestOutputName },
      this.cli,
    );
    this.prune = prune.resource;
    new TerraformOutput(this, "manifest", {
      value: prune.recorded,
      description: "What this Immuta tenant's last successful deploy managed (kind/key)",
    }).overrideLogicalId(this.manifestOutputName);

    PROVIDERS.set(stack, [...(PROVIDERS.get(stack) ?? []), this]);
  }

  /**
   * Creates an object's Terraform resources and enrols it in this tenant's prune list.
   * @internal used by the constructs
   */
  manage(scope: Construct, spec: ObjectSpec): ObjectResources {
    const entry = `${spec.kind}/${spec.key}`;
    const existing = this.managed.get(entry);
    if (existing) {
      throw new SynthError(
        `${scope.node.path}: ${KIND_LABEL[spec.kind]} "${spec.key}" is already defined by ` +
          `${existing} for this tenant; each key may be managed once`,
      );
    }
    const resources = this.carrier.object(scope, { ...spec, tenant: this.tenant }, this.cli);
    this.managed.set(entry, scope.node.path);
    // The prune runs last: after every object of the tenant has been applied.
    addDependsOn(this.prune, resources.apply);
    return resources;
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

function cliArgs(provider: ImmutaProvider, props: ImmutaProviderProps): CliArgs {
  const command = props.cliCommand ?? defaultCliCommand(provider);
  const connection: string[] = [];
  if (props.url !== undefined) connection.push("--url", escapeTemplate(props.url));
  if (props.apiKeyEnv !== undefined) connection.push("--api-key-env", props.apiKeyEnv);
  if (props.authHeader !== undefined) connection.push("--auth-header", props.authHeader);
  if (props.timeoutSeconds !== undefined)
    connection.push("--timeout", String(props.timeoutSeconds));
  if (props.retries !== undefined) connection.push("--retries", String(props.retries));
  return { forCommand: (name) => [...command, name, ...connection] };
}
