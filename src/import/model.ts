/**
 * What import passes from its sources (a tenant, a directory of payload files) to its writers
 * (payload files, a TypeScript module): each object as its payload, with its secrets as
 * placeholders and its problems, and the few facts of the tenant a writer needs beside it.
 */
import type { Problem } from "../errors";
import { countOf, type Kind } from "../payload/kinds";
import type { SecretField } from "./secrets";

/** One object as a source gives it, before it is turned into a payload. */
export interface RawObject {
  readonly kind: Kind;
  readonly key: string;
  /** The object as read: a file's document, or what the tenant's GET answered. */
  readonly value: Record<string, unknown>;
  /** Where it came from, for messages: `governance/purposes.yaml:12`, `GET /api/v2/purpose/Research`. */
  readonly origin: string;
  /** True when the value is a tenant's view (payload plus the server's own fields). */
  readonly fromServer: boolean;
}

/** A data source of a connection, as the tenant reports it (names the payload cannot give). */
export interface ReportedDataSource {
  readonly name: string;
  readonly schema?: string;
  readonly table?: string;
}

/** Facts of the tenant that are not payload but that the generated code must keep. */
export interface TenantFacts {
  /**
   * A project applied with `deleteDataSourcesOnWorkspaceDelete=true`: a query flag, not a payload
   * field, but the tenant holds it, so sending the project without it would change it.
   */
  readonly deleteDataSourcesOnWorkspaceDelete?: boolean;
  /** A connection's data sources, by the names projects use. */
  readonly dataSources?: readonly ReportedDataSource[];
}

/** One object ready to write. */
export interface ImportedObject {
  readonly kind: Kind;
  readonly key: string;
  /** The payload to send: secrets as `{ $env }` placeholders, aliases normalised when valid. */
  readonly payload: Record<string, unknown>;
  /** What the validator finds wrong with it; written anyway, each problem as a comment. */
  readonly problems: readonly Problem[];
  readonly secrets: readonly SecretField[];
  readonly facts: TenantFacts;
  readonly origin: string;
}

/** Something a source could not give as an object (an unreadable file, a failed GET). */
export interface SourceError {
  /** `governance/x.yaml:3`, or the request. */
  readonly where: string;
  readonly message: string;
}

export interface ImportResult {
  /** In a stable order: by kind (purposes, connections, policies, projects), then by key. */
  readonly objects: readonly ImportedObject[];
  readonly errors: readonly SourceError[];
  /** Every secret variable the generated code reads, in the objects' order, each once. */
  readonly secrets: readonly SecretField[];
  /** Clear secret values met in the source: never printed (the command scrubs them). */
  readonly clearSecrets: readonly string[];
}

/**
 * The order objects are written and listed in: what others name comes first, as it must be
 * created first (the same order as PayloadDirectory's).
 */
export const KIND_ORDER: readonly Kind[] = ["purpose", "data", "policy", "project"];

/** The counts of each kind present, in KIND_ORDER: `2 purposes, 1 data source connection`. */
export function counts(objects: readonly { readonly kind: Kind }[]): string[] {
  return KIND_ORDER.map((kind) => [kind, objects.filter((o) => o.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => countOf(kind, n));
}
