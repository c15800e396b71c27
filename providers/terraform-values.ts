/**
 * Turning payload values into Terraform configuration values, byte for byte.
 *
 * Terraform reads every string of a JSON configuration as a template: a literal `${x}` or `%{`
 * in a description or a where clause would be evaluated (and fail with "Invalid reference"), and
 * cdktf does not escape literal strings. So literal text is escaped (`$${`, `%%{`) here, while
 * cdktf tokens (values from other resources) are left for cdktf to render as references.
 */
import type { IResolvable, IResolveContext, TerraformResource } from "cdktf";
import { Token, Tokenization } from "./cdk";

/** `${` → `$${` and `%{` → `%%{`: Terraform reads them back as the literal characters. */
export function escapeTemplate(text: string): string {
  return text.replace(/\$\{/g, "$$${").replace(/%\{/g, "%%{");
}

/** Whether a value is known only at apply time (a cdktf token of any type). */
export function isToken(value: unknown): boolean {
  if (typeof value === "string" || typeof value === "number") return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.length > 0 && Token.isUnresolved(value);
  return value !== null && typeof value === "object" && Tokenization.isResolvable(value);
}

/** Whether a value holds a token anywhere inside it. */
export function containsToken(value: unknown): boolean {
  if (isToken(value)) return true;
  if (Array.isArray(value)) return value.some(containsToken);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).some(([k, v]) => containsToken(k) || containsToken(v));
  }
  return false;
}

// cdktf's encoding of a string token: ${TfToken[TOKEN.12]}
const STRING_TOKEN = /\$\{TfToken\[([^\]]+)\]\}/;

/**
 * A string mixing literal text and tokens (`jdbc://${db.address}/x`): the literal parts are
 * escaped and each token is rendered by cdktf, at synth.
 */
class MixedString implements IResolvable {
  readonly creationStack: string[] = [];

  constructor(private readonly source: string) {}

  resolve(context: IResolveContext): string {
    return this.source
      .split(new RegExp(STRING_TOKEN.source, "g"))
      .map((part, i) =>
        i % 2 === 0 ? escapeTemplate(part) : String(context.resolve(`\${TfToken[${part}]}`)),
      )
      .join("");
  }

  toString(): string {
    return Token.asString(this);
  }
}

/** A payload value ready for a Terraform configuration: literal strings escaped, tokens kept. */
export function toTerraformValue(value: unknown): unknown {
  if (typeof value === "string") {
    if (!Token.isUnresolved(value)) return escapeTemplate(value);
    const whole = STRING_TOKEN.exec(value);
    return whole && whole[0] === value ? value : new MixedString(value);
  }
  if (isToken(value)) return value;
  if (Array.isArray(value)) return value.map(toTerraformValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[escapeTemplate(k)] = toTerraformValue(v);
    }
    return out;
  }
  return value;
}

/**
 * A resource's address (`terraform_data.research_apply_66B6385C`), as `depends_on` and
 * `replace_triggered_by` take it. A plain string: cdktf's `dependable()` makes a token, and each
 * token captures a full stack trace, which made synth of thousands of objects slow.
 */
export function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/** Adds a dependency to a resource's `depends_on`, once. */
export function addDependsOn(resource: TerraformResource, on: TerraformResource): void {
  const address = addressOf(on);
  const list = (resource.dependsOn ??= []);
  if (!list.includes(address)) list.push(address);
}
