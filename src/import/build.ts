/**
 * From the objects a source read to the objects import writes: payloads stripped of the server's
 * fields, secrets turned into placeholders with stable names, problems found, aliases normalised.
 * Everything here is pure and ordered, so the same source always gives the same result.
 */
import { normalizeAliases } from "../payload/aliases";
import type { PayloadByKind } from "../payload/types";
import { findProblems } from "../payload/validate";
import {
  KIND_ORDER,
  type ImportResult,
  type ImportedObject,
  type RawObject,
  type SourceError,
} from "./model";
import { inSchemaOrder } from "./field-order";
import { normalize } from "./normalize";
import {
  VariableNames,
  findSecrets,
  secretVariable,
  segmentsPath,
  withPlaceholders,
  type SecretField,
} from "./secrets";

export function buildImport(
  raws: readonly RawObject[],
  errors: readonly SourceError[],
): ImportResult {
  const ordered = [...raws].sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const normalized = ordered.map((raw) => {
    const { payload, facts } = normalize(raw);
    return { raw, payload, facts, found: findSecrets(payload) };
  });

  const names = new VariableNames();
  for (const { found } of normalized) {
    for (const secret of found) if (secret.existing !== undefined) names.reserve(secret.existing);
  }

  const clearSecrets: string[] = [];
  const objects = normalized.map(({ raw, payload, facts, found }): ImportedObject => {
    const secrets: SecretField[] = found.map((secret) => {
      if (secret.clear !== undefined && secret.clear !== "") clearSecrets.push(secret.clear);
      return {
        kind: raw.kind,
        key: raw.key,
        path: segmentsPath(secret.segments),
        variable:
          secret.existing ?? names.allocate(secretVariable(raw.kind, raw.key, secret.segments)),
        existing: secret.existing !== undefined,
      };
    });
    const placed = withPlaceholders(
      payload,
      found.map((secret, i) => ({ segments: secret.segments, variable: secrets[i].variable })),
    ) as Record<string, unknown>;
    const problems = findProblems(raw.kind, placed);
    // Aliases are normalised only in a valid payload: an invalid one may not have the shape
    // normalisation expects, and is written as it came, with its problems.
    const final =
      problems.length === 0
        ? (normalizeAliases(
            raw.kind,
            placed as unknown as PayloadByKind[typeof raw.kind],
          ) as object)
        : placed;
    return {
      kind: raw.kind,
      key: raw.key,
      payload: inSchemaOrder(raw.kind, final as Record<string, unknown>),
      problems,
      secrets,
      facts,
      origin: raw.origin,
    };
  });

  return {
    objects,
    errors,
    secrets: objects.flatMap((object) => object.secrets),
    clearSecrets,
  };
}
