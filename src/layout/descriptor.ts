/**
 * What each resource of the provider layer says about itself, in a JSON comment (`"//"`, which
 * Terraform ignores) of the synthesized configuration: its role, its tenant and kind, and how to
 * reach the tenant. The provider layer writes it with `describe`; the review reads it with
 * `readDescriptor`. One definition for both, so that the review cannot drift from what is written.
 */
import { isKind, type Kind } from "../payload/kinds";
import type { ConnectionSettings } from "./connection";

/** Bumped whenever the synthesized layout changes in a way the review must know about. */
export const LAYOUT_VERSION = 2;

/** The resource JSON's comment key, and our field inside it. */
export const COMMENT_KEY = "//";
export const DESCRIPTOR_FIELD = "immuta";

interface Common {
  readonly version: number;
  /** The tenant's name prefix in this stack (from its provider's construct id). */
  readonly tenant: string;
  readonly connection: ConnectionSettings;
}

export type Descriptor =
  /** One kind's objects of one tenant: a resource block with an instance per object. */
  | (Common & { readonly role: "objects"; readonly kind: Kind })
  /** Runs before the objects: refuses keys Immuta holds that the stack never managed. */
  | (Common & { readonly role: "guard" })
  /** Runs after a kind's objects: confirms what earlier, interrupted deploys may not have sent. */
  | (Common & { readonly role: "confirm"; readonly kind: Kind; readonly output: string });

export type Role = Descriptor["role"];

type Unversioned<T> = T extends unknown ? Omit<T, "version"> : never;

/** The comment to merge into a resource's JSON. */
export function describe(descriptor: Unversioned<Descriptor>): Record<string, unknown> {
  return { [DESCRIPTOR_FIELD]: { version: LAYOUT_VERSION, ...descriptor } };
}

export class LayoutError extends Error {
  get code() {
    return "LAYOUT" as const;
  }
}

/**
 * The descriptor of one resource of a synthesized configuration: undefined when it has none,
 * an error when it has one this version cannot read.
 */
export function readDescriptor(resource: unknown, address: string): Descriptor | undefined {
  const comment = (resource as Record<string, unknown> | null)?.[COMMENT_KEY];
  const raw = (comment as Record<string, unknown> | undefined)?.[DESCRIPTOR_FIELD];
  if (raw === undefined) return undefined;
  const d = raw as Partial<Record<string, unknown>>;
  const problem = (what: string) =>
    new LayoutError(
      `${address}: its cdktf-immuta description ${what}; synthesize the stack again with this ` +
        `version of cdktf-immuta (cdktf synth)`,
    );
  if (d.version !== LAYOUT_VERSION) {
    throw problem(
      `has layout version ${JSON.stringify(d.version)}, this tool reads ${LAYOUT_VERSION}`,
    );
  }
  if (typeof d.tenant !== "string" || d.tenant === "") throw problem("names no tenant");
  if (d.connection === null || typeof d.connection !== "object") throw problem("has no connection");
  if (d.role === "objects") {
    if (!isKind(d.kind)) throw problem(`has an unknown kind ${JSON.stringify(d.kind)}`);
    return d as unknown as Descriptor;
  }
  if (d.role === "guard") return d as unknown as Descriptor;
  if (d.role === "confirm") {
    if (typeof d.output !== "string") throw problem("names no output");
    if (!isKind(d.kind)) throw problem(`has an unknown kind ${JSON.stringify(d.kind)}`);
    return d as unknown as Descriptor;
  }
  throw problem(`has an unknown role ${JSON.stringify(d.role)}`);
}
