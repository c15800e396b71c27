/**
 * What the four constructs share: validation of the payload at construction (naming the construct
 * path and the field path), the choice of tenant, the payload's transport, and the Terraform
 * resources that converge Immuta to it.
 */
import type { TerraformResource } from "cdktf";
import { Construct } from "../../providers/cdk";
import { ImmutaProvider } from "../../providers/immuta-provider";
import {
  FILE_THRESHOLD_BYTES,
  MAX_ENV_PAYLOAD_BYTES,
  PayloadFiles,
} from "../../providers/payload-transport";
import type { InstanceValue } from "../../providers/tenant";
import {
  addDependsOn,
  containsToken,
  escapeTemplate,
  isToken,
  toTerraformValue,
} from "../../providers/terraform-values";
import { SynthError } from "../errors";
import { canonicalJson } from "../payload/canonical";
import { KINDS_IN_ORDER, NAMED_KINDS } from "../layout/names";
import { KEY_FIELD, KIND_LABEL, payloadKey, type Kind } from "../payload/kinds";
import type { PayloadByKind } from "../payload/types";
import { validatePayload } from "../payload/validate";

export interface ImmutaObjectOptions {
  /**
   * The tenant this object belongs to.
   * @default the stack's only ImmutaProvider
   */
  readonly provider?: ImmutaProvider;
  /**
   * Take this object over if Immuta already holds its key when this stack first deploys it.
   * Without it, that deploy fails before anything is written, naming the key: a stack must not
   * silently overwrite what another stack or a person manages. (`immuta-v2 import` turns what a
   * tenant holds into code instead.)
   * @default false
   */
  readonly adopt?: boolean;
}

export abstract class ImmutaObject<K extends Kind = Kind> extends Construct {
  readonly kind: K;
  /** The object's key: `connectionKey`, `policyKey`, `projectKey` or the purpose `name`. */
  readonly key: string;
  /** The validated payload (aliases normalised; values from other resources still tokens). */
  readonly payload: PayloadByKind[K];
  readonly provider: ImmutaProvider;
  /**
   * The resource block holding this kind's objects of the tenant (an instance per object); other
   * resources may depend on it.
   */
  readonly resource: TerraformResource;
  /** This object's instance: `terraform_data.immuta_policy["mask-pii"]`, as Terraform names it. */
  readonly address: string;
  private readonly dependencies = new Set<TerraformResource>();

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
    const managed = this.provider.manage(this, {
      kind,
      key,
      value: { ...this.transport(), a: options.applyFlags(this.provider) },
      adopt: options.adopt === true,
    });
    this.resource = managed.resource;
    this.address = managed.address;
  }

  /**
   * Makes this object wait for another: created or updated after it, deleted before it.
   * References (`purposes: [research]`) add this themselves. The order is kept per kind and
   * tenant (each is one resource block): a project waits for purposes and data sources, a policy
   * for purposes, always; an object cannot wait for one of a kind created after its own.
   */
  addDependency(other: ImmutaObject): void {
    if (other.resource === this.resource) return; // one block: no order within a kind
    const rank = (kind: Kind) => KINDS_IN_ORDER.indexOf(kind);
    if (rank(other.kind) >= rank(this.kind)) {
      throw new SynthError(
        `${this.node.path}: a ${KIND_LABEL[this.kind]} cannot wait for a ` +
          `${KIND_LABEL[other.kind]} (${other.node.path}): objects are created kind by kind ` +
          `(${KINDS_IN_ORDER.join(", ")}) and deleted in the reverse order`,
      );
    }
    const implied = other.provider === this.provider && NAMED_KINDS[this.kind].includes(other.kind);
    if (implied || this.dependencies.has(other.resource)) return;
    this.dependencies.add(other.resource);
    addDependsOn(this.resource, other.resource);
  }

  /**
   * How the payload reaches the configuration and the CLI (see providers/payload-transport.ts):
   * known at synth, as canonical JSON text, and as a file when large; holding values known only
   * at apply time, as a Terraform value, through the environment.
   */
  private transport(): Pick<InstanceValue, "p" | "f"> {
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
      return { p: toTerraformValue(this.payload) as object, f: "" };
    }
    const json = canonicalJson(this.payload);
    return {
      p: escapeTemplate(json),
      f: Buffer.byteLength(json) > FILE_THRESHOLD_BYTES ? PayloadFiles.of(this).add(json) : "",
    };
  }
}
