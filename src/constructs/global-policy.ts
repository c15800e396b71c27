import type { Construct } from "constructs";
import type { PolicyPayload } from "../payload/types";
import { ImmutaObject, type ImmutaObjectOptions } from "./immuta-object";
import { policyPayload } from "./props";

export interface GlobalPolicyOptions extends ImmutaObjectOptions {
  /**
   * When the certification changed, the policy must be certified again on every data source it
   * applies to.
   * @default false
   */
  readonly reCertify?: boolean;
}

/** A subscription policy or a data policy: the payload's fields, plus the options. */
export type GlobalPolicyProps = PolicyPayload & GlobalPolicyOptions;

/** A global subscription or data policy (`POST /api/v2/policy`). */
export class GlobalPolicy extends ImmutaObject<"policy"> {
  constructor(scope: Construct, id: string, props: GlobalPolicyProps) {
    super(scope, id, "policy", policyPayload(props), {
      provider: props.provider,
      adopt: props.adopt,
      applyFlags: () => (props.reCertify ? ["--re-certify"] : []),
    });
  }
}
