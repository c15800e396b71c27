/**
 * The Immuta objects of a stack as the simulator takes them, whether read from a construct tree
 * or from a synthesized stack directory: their payloads, and the fields holding values known only
 * at apply time (from other resources). An object with such a value where the simulator looks
 * cannot be simulated: that is an error, or with `unresolved: "skip"` the object is left out and
 * listed, never silently guessed.
 */
import { ValidationError, type Problem } from "../errors";
import { KIND_LABEL, type Kind } from "../payload/kinds";
import type { AnyPayload } from "../payload/types";

export interface StackObject {
  readonly kind: Kind;
  readonly key: string;
  /** Where it is defined: its construct path, or its Terraform address in a synthesized stack. */
  readonly where: string;
  /** The tenant's resource name prefix (one per ImmutaProvider). */
  readonly tenant: string;
  readonly payload: unknown;
  /** Field paths whose values are known only at apply time. */
  readonly unknown: readonly string[];
}

/** An object of the stack the simulation leaves out, and why. */
export interface UnsimulatedObject {
  readonly kind: Kind;
  readonly key: string;
  readonly where: string;
  /** The fields known only at apply time that the simulator needs. */
  readonly fields: readonly string[];
  readonly why: string;
}

/**
 * Fields the simulator never reads, so that a value known only at apply time there (a password
 * from a secrets manager, a description from a template) does not keep an object out.
 */
const UNREAD: Record<Kind, RegExp> = {
  data: /^connection\.(?!(hostname|database)$)|^options\.(?!tableTags(\[|$))|^owners\[\d+\]\.iam$/,
  policy: /^certification(\.|$)|^name$/,
  project: /^(description|documentation|name)$|^workspace(\.|$)/,
  purpose: /(^|\.)(description|acknowledgement|kAnonNoiseReduction)$/,
};

export interface SortedObjects {
  readonly payloads: AnyPayload[];
  readonly skipped: UnsimulatedObject[];
}

/**
 * The payloads to simulate. With `unresolved: "error"` (the default) an object the simulator
 * cannot read is an error naming it and its fields; with `"skip"` it is left out and listed.
 */
export function sortObjects(
  objects: readonly StackObject[],
  unresolved: "error" | "skip",
  subject: string,
): SortedObjects {
  const payloads: AnyPayload[] = [];
  const skipped: UnsimulatedObject[] = [];
  for (const object of objects) {
    const fields = object.unknown.filter((path) => !UNREAD[object.kind].test(path));
    if (fields.length === 0) {
      payloads.push(object.payload as AnyPayload);
      continue;
    }
    skipped.push({
      kind: object.kind,
      key: object.key,
      where: object.where,
      fields,
      why:
        `${fields.join(", ")} ${fields.length === 1 ? "is" : "are"} known only at apply time ` +
        `(from another resource), and the simulator needs ${fields.length === 1 ? "it" : "them"} ` +
        `to say what the ${KIND_LABEL[object.kind]} does`,
    });
  }
  if (unresolved === "error" && skipped.length > 0) {
    const problems: Problem[] = skipped.flatMap((s) =>
      s.fields.map((field) => ({
        path: `${s.where}: ${field}`,
        message:
          `known only at apply time (a value from another resource), so the simulator cannot ` +
          `say what ${KIND_LABEL[s.kind]} "${s.key}" does; make it a literal, or simulate without ` +
          `the object (unresolved: "skip", or --skip-unresolved)`,
      })),
    );
    throw new ValidationError(subject, problems);
  }
  return { payloads, skipped };
}

/**
 * The objects of one tenant: the one named, or the only one. A stack with several tenants must
 * name one, since a user's access is per tenant.
 */
export function oneTenant(
  objects: readonly StackObject[],
  wanted: string | undefined,
  subject: string,
  option: string,
): readonly StackObject[] {
  const tenants = [...new Set(objects.map((o) => o.tenant))].sort();
  if (wanted !== undefined) {
    if (!tenants.includes(wanted)) {
      throw new ValidationError(subject, [
        {
          path: option,
          message: `no tenant "${wanted}" in the stack (it has ${tenants.join(", ") || "none"})`,
        },
      ]);
    }
    return objects.filter((o) => o.tenant === wanted);
  }
  if (tenants.length > 1) {
    throw new ValidationError(subject, [
      {
        path: option,
        message: `required: the stack manages ${tenants.length} tenants (${tenants.join(", ")}) and a user's access is per tenant`,
      },
    ]);
  }
  return objects;
}
