/**
 * Where each carrier keeps an object's payload and the time of the plan that (re)created it, as
 * Terraform expressions (for the provider layer) and as readers of state attributes (for the
 * steps and the review). `terraform_data` is built in; `null_resource` comes from hashicorp/null.
 */
export type CarrierName = "terraform_data" | "null_resource";

export interface CarrierAttributes {
  /** The payload's JSON text, from a resource reference (`self`, or `v` in a for expression). */
  payloadText(ref: string): string;
  /** The plan timestamp the instance was created by. */
  marker(ref: string): string;
  /** The payload held in state attributes (parsed), or undefined. */
  readPayload(attributes: Record<string, unknown>): unknown;
  readMarker(attributes: Record<string, unknown>): string | undefined;
}

const parsed = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value);

export const CARRIER_ATTRIBUTES: Record<CarrierName, CarrierAttributes> = {
  terraform_data: {
    // A payload known at synth is its JSON text; one holding apply-time values is an object.
    payloadText: (ref) =>
      `try(tostring(${ref}.triggers_replace), jsonencode(${ref}.triggers_replace))`,
    marker: (ref) => `${ref}.input`,
    readPayload: (a) => (a.triggers_replace == null ? undefined : parsed(a.triggers_replace)),
    readMarker: (a) => (typeof a.input === "string" ? a.input : undefined),
  },
  null_resource: {
    payloadText: (ref) => `${ref}.triggers.payload`,
    marker: (ref) => `${ref}.triggers.planned`,
    readPayload: (a) => {
      const triggers = a.triggers as Record<string, string> | null | undefined;
      return triggers?.payload === undefined ? undefined : parsed(triggers.payload);
    },
    readMarker: (a) => (a.triggers as Record<string, string> | null | undefined)?.planned,
  },
};

export function isCarrierName(value: string): value is CarrierName {
  return value === "terraform_data" || value === "null_resource";
}
