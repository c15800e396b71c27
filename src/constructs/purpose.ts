import type { Construct } from "constructs";
import { SynthError } from "../errors";
import { purposeNames } from "../payload/naming";
import type { PurposePayload } from "../payload/types";
import { ImmutaObject, type ImmutaObjectOptions } from "./immuta-object";
import { purposePayload } from "./props";

export interface PurposeProps extends PurposePayload, ImmutaObjectOptions {
  /**
   * Users of projects with this purpose must acknowledge a changed acknowledgement again.
   * @default false
   */
  readonly reAcknowledgeRequired?: boolean;
}

/** A purpose (`POST /api/v2/purpose`), with its sub-purposes. */
export class Purpose extends ImmutaObject<"purpose"> {
  constructor(scope: Construct, id: string, props: PurposeProps) {
    super(scope, id, "purpose", purposePayload(props), {
      provider: props.provider,
      adopt: props.adopt,
      applyFlags: () => (props.reAcknowledgeRequired ? ["--re-acknowledge-required"] : []),
    });
  }

  /** The purpose's name, as projects name it. */
  get purposeName(): string {
    return this.key;
  }

  /**
   * One of this purpose's sub-purposes, for a project's `purposes`: `subpurpose("Clinical")` is
   * `Research.Clinical`, `subpurpose("Clinical", "Trials")` is `Research.Clinical.Trials`.
   */
  subpurpose(...path: string[]): { readonly purposeName: string; readonly purpose: Purpose } {
    const name = [this.key, ...path].join(".");
    if (path.length === 0 || !purposeNames(this.payload).slice(1).includes(name)) {
      throw new SynthError(`${this.node.path}: no sub-purpose "${name}" in purpose "${this.key}"`);
    }
    return { purposeName: name, purpose: this };
  }
}

/** A purpose in a project: a `Purpose`, one of its sub-purposes, or the name of one managed elsewhere. */
export type PurposeReference =
  string | { readonly purposeName: string; readonly purpose?: Purpose };
