/**
 * Secrets cannot be exported: a tenant answers `"[redacted]"` for them, and a file may hold one in
 * clear. Import turns every secret value into a `{ $env: NAME }` placeholder with a name derived
 * from the object and the field (`dwh-prod` + `connection.password` → `DWH_PROD_PASSWORD`), so
 * the same tenant always gives the same names, and lists what must be set before a deploy.
 */
import { KIND_LABEL, type Kind } from "../payload/kinds";
import { ENV_NAME, REDACTED, isEnvSecret, redactPayload } from "../payload/secrets";
import { fieldPath } from "../payload/validate";

/**
 * Where a payload holds secrets: wherever the payload model's redaction would hide a value (a
 * secret field, anything nested under one, as `SECRET_FIELDS` in src/payload/secrets.ts says),
 * and wherever the tenant already hid one (it also hides values that came from a placeholder,
 * whatever their field). Asking `redactPayload` itself keeps import in step with the model as it
 * learns new secret fields; this is the one place import decides.
 */
function secretPositions(payload: unknown): (segments: readonly (string | number)[]) => boolean {
  const redacted = redactPayload(payload);
  return (segments) => {
    let value: unknown = redacted;
    for (const segment of segments) value = (value as Record<string | number, unknown>)[segment];
    return value === REDACTED;
  };
}

/** One secret of the import: where it is, and the variable that must hold it at deploy time. */
export interface SecretField {
  readonly kind: Kind;
  readonly key: string;
  /** Field path in the payload: `connection.password`, `connection.userFiles[0].content`. */
  readonly path: string;
  readonly variable: string;
  /** True when the source already held this placeholder (a payload file written by hand). */
  readonly existing: boolean;
}

/** A secret found in a payload, before its variable is named. */
export interface FoundSecret {
  readonly segments: readonly (string | number)[];
  /** The variable of a placeholder already in the source; undefined for a value to replace. */
  readonly existing?: string;
  /** The clear value, when the source held one: kept only to scrub it from the output. */
  readonly clear?: string;
}

/** Every secret of a payload, in the payload's own order. */
export function findSecrets(payload: unknown): FoundSecret[] {
  const isSecret = secretPositions(payload);
  const found: FoundSecret[] = [];
  const walk = (value: unknown, segments: (string | number)[]) => {
    if (isEnvSecret(value)) {
      found.push({ segments, existing: value.$env });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...segments, i]));
    } else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(v, [...segments, k]);
    } else if (segments.length > 0 && isSecret(segments)) {
      found.push({ segments, clear: value === REDACTED ? undefined : String(value) });
    }
  };
  walk(payload, []);
  return found;
}

/**
 * The variable name for a secret: the object's key and the field path, upper snake case. A
 * connection's fields drop their `connection.` prefix, where every connection secret lives.
 */
export function secretVariable(kind: Kind, key: string, segments: readonly (string | number)[]) {
  const path = kind === "data" && segments[0] === "connection" ? segments.slice(1) : segments;
  // Bounded, so that a long key still gives a name one can type (and a line of code that fits).
  const name = [snake(key).slice(0, MAX_KEY_PART), ...path.map((s) => snake(String(s)))]
    .filter((part) => part !== "")
    .join("_")
    .slice(0, MAX_VARIABLE)
    .replace(/_+$/, "");
  // A key of no letters or digits, or one starting with a digit, still gives a valid name.
  const valid = /^[A-Z_]/.test(name) ? name : `${kind.toUpperCase()}_${name}`;
  return ENV_NAME.test(valid) ? valid : `${kind.toUpperCase()}_SECRET`;
}

const MAX_KEY_PART = 40;
const MAX_VARIABLE = 60;

/** `clientSecret` → `CLIENT_SECRET`, `dwh-prod` → `DWH_PROD`, `Réseau` → `RESEAU`; anything but A-Z and 0-9 separates. */
function snake(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/**
 * Hands out variable names, unique across the import: the same name for two different secrets
 * would make them one. Names already used by placeholders of the source are taken first, so a
 * generated name never lands on one. Call in a stable order for stable names.
 */
export class VariableNames {
  readonly #taken = new Set<string>();

  reserve(name: string): void {
    this.#taken.add(name);
  }

  allocate(wanted: string): string {
    let name = wanted;
    for (let n = 2; this.#taken.has(name); n++) name = `${wanted}_${n}`;
    this.#taken.add(name);
    return name;
  }
}

/** `connection.userFiles[0].content` from path segments, as validation messages write paths. */
export function segmentsPath(segments: readonly (string | number)[]): string {
  return fieldPath(segments.map(String));
}

/** An exact identity of a path (field names may hold dots and brackets). */
const pathId = (segments: readonly (string | number)[]) => JSON.stringify(segments);

/** A copy of the payload with a placeholder for `$env: variable` at each path. */
export function withPlaceholders(
  payload: unknown,
  placements: readonly { readonly segments: readonly (string | number)[]; variable: string }[],
): unknown {
  const byPath = new Map(placements.map((p) => [pathId(p.segments), p.variable]));
  const walk = (value: unknown, segments: (string | number)[]): unknown => {
    const variable = segments.length > 0 ? byPath.get(pathId(segments)) : undefined;
    if (variable !== undefined) return { $env: variable };
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...segments, i]));
    if (value !== null && typeof value === "object" && !isEnvSecret(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, [...segments, k]);
      return out;
    }
    return value;
  };
  return walk(payload, []);
}

/** How a secret reads in the command's list: `DWH_PROD_PASSWORD  data source connection "dwh-prod" connection.password`. */
export function describeSecret(secret: SecretField): string {
  return `${KIND_LABEL[secret.kind]} "${secret.key}" ${secret.path}`;
}
