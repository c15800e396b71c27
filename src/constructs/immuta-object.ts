/**
 * What the four constructs share: validation of the payload at construction (naming the construct
 * path and the field path), the choice of tenant, the payload's transport, and the Terraform
 * resources that converge Immuta to it.
 */
import type { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { ImmutaProvider } from "../../providers/immuta-provider";
import {
  FILE_THRESHOLD_BYTES,
  MAX_ENV_PAYLOAD_BYTES,
  PayloadFiles,
} from "../../providers/payload-transport";
import {
  addDependsOn,
  containsToken,
  escapeTemplate,
  isToken,
  toTerraformValue,
} from "../../providers/terraform-values";
import { SynthError } from "../errors";
import { canonicalJson } from "../payload/canonical";
import { KEY_FIELD, KIND_LABEL, payloadKey, type Kind } from "../payload/kinds";
import type { PayloadByKind } from "../payload/types";
import { validatePayload } from "../payload/validate";

export interface ImmutaObjectOptions {
  /**
   * The tenant this object belongs to.
   * @default the stack's only ImmutaProvider
   */
  readonly provider?: ImmutaProvider;
}

export abstract class ImmutaObject<K extends Kind = Kind> extends Construct {
  readonly kind: K;
  /** The object's key: `connectionKey`, `policyKey`, `projectKey` or the purpose `name`. */
  readonly key: string;
  /** The validated payload (aliases normalised; values from other resources still tokens). */
  readonly payload: PayloadByKind[K];
  readonly provider: ImmutaProvider;
  /** The resource whose destroy step DELETEs the object. */
  readonly identityResource: TerraformResource;
  /** The resource whose creation POSTs the payload; replaced whenever the payload changes. */
  readonly applyResource: TerraformResource;
  private readonly dependencies = new Set<ImmutaObject>();

  protected constructor(
    scope: Construct,
    id: string,
    kind: K,
    payload: unknown,
    options: ImmutaObjectOptions & {
      /** The query flags of the apply call, which may depend on the tenant's defaults. */
      readonly applyFlags: (provider: ImmutaProvider) => readonly string[];
    },
  ) {
    super(scope, id);
    this.kind = kind;
    this.payload = validatePayload(kind, payload, this.node.path, { skip: isToken });
    const key = payloadKey(kind, this.payload);
    if (key === undefined || isToken(key)) {
      throw new SynthError(
        `${this.node.path}: ${KEY_FIELD[kind]} must be a literal string, known at synth: ` +
          `it identifies the ${KIND_LABEL[kind]} across deploys`,
      );
    }
    this.key = key;
    this.provider = ImmutaProvider.of(this, options.provider);
    const resources = this.provider.manage(this, {
      kind,
      key,
      ...this.transport(),
      applyFlags: options.applyFlags(this.provider),
    });
    this.identityResource = resources.identity;
    this.applyResource = resources.apply;
  }

  /**
   * Makes this object wait for another: created or updated after it, deleted before it.
   * References (`purposes: [research]`) add this themselves.
   */
  addDependency(other: ImmutaObject): void {
    if (other === this || this.dependencies.has(other)) return;
    this.dependencies.add(other);
    for (const [mine, theirs] of [
      [this.applyResource, other.applyResource],
      [this.identityResource, other.identityResource],
    ] as const) {
      addDependsOn(mine, theirs);
    }
  }

  /**
   * How the payload reaches the configuration and the CLI (see providers/payload-transport.ts):
   * known at synth, as canonical JSON text, and as a file when large; holding values known only
   * at apply time, as a Terraform value, through the environment.
   */
  private transport(): { terraformPayload: string | object; payloadFile?: string } {
    if (containsToken(this.payload)) {
      const size = Buffer.byteLength(JSON.stringify(this.payload) ?? "");
      if (size > MAX_ENV_PAYLOAD_BYTES) {
        throw new SynthError(
          `${this.node.path}: this payload is ${size} bytes and holds values known only at apply ` +
            `time; such a payload travels through the process environment, which holds at most ` +
            `${MAX_ENV_PAYLOAD_BYTES} bytes of it. Make those values literal (a large payload known ` +
            `at synth travels as a file), or split the object.`,
        );
      }
      return { terraformPayload: toTerraformValue(this.payload) as object };
    }
    const json = canonicalJson(this.payload);
    return {
      terraformPayload: escapeTemplate(json),
      payloadFile:
        Buffer.byteLength(json) > FILE_THRESHOLD_BYTES
          ? PayloadFiles.of(this).add(json)
          : undefined,
    };
  }
}
