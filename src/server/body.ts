/**
 * Turning a request body into a payload value: decoded as UTF-8, parsed as JSON or YAML by its
 * Content-Type, exactly one document. Every failure is a 4xx naming where the text is wrong;
 * nothing a client sends may surface as a 500. What a parse may cost is bounded: YAML by its
 * tokens, aliases by what they expand to (413 past either).
 */
import { PayloadSyntaxError } from "../errors";
import { ParseLimitError, parseJson, parseYaml } from "../payload/parse";
import { JSON_CONTENT_TYPES, MAX_YAML_TOKENS, YAML_CONTENT_TYPES } from "./choices";
import { HttpError } from "./http-error";

const SOURCE = "request body";
const utf8 = new TextDecoder("utf-8", { fatal: true });

export type BodyFormat = "json" | "yaml";

/** The format a Content-Type asks for, or the 415 to answer. */
export function bodyFormat(contentType: string | undefined): BodyFormat {
  // The common case, without parsing parameters.
  if (contentType === "application/json") return "json";
  if (contentType === undefined || contentType.trim() === "") return "json";
  const [type, ...params] = contentType.split(";").map((part) => part.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith("charset="))?.slice("charset=".length);
  if (charset !== undefined && !["utf-8", "utf8", '"utf-8"'].includes(charset)) {
    throw new HttpError(415, `Unsupported charset ${charset}: send UTF-8`);
  }
  if (JSON_CONTENT_TYPES.has(type)) return "json";
  if (YAML_CONTENT_TYPES.has(type)) return "yaml";
  throw new HttpError(
    415,
    `Unsupported Content-Type ${type}: send application/json, or YAML as application/yaml, ` +
      `application/x-yaml, text/yaml or text/plain`,
  );
}

/**
 * The one payload a body holds.
 * @param maxBytes how large a YAML body's aliases may make it (what a JSON body may be)
 */
export function parseBody(format: BodyFormat, body: Uint8Array, maxBytes: number): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new HttpError(400, `${SOURCE}: not valid UTF-8`);
  }
  if (text.trim() === "")
    throw new HttpError(400, `${SOURCE}: empty; send the payload as JSON or YAML`);
  try {
    if (format === "json") return parseJson(text, SOURCE).value;
    const documents = parseYaml(text, SOURCE, {
      maxTokens: MAX_YAML_TOKENS,
      maxExpandedBytes: maxBytes,
    });
    if (documents.length === 0) {
      throw new HttpError(400, `${SOURCE}: holds no YAML document; send the payload`);
    }
    if (documents.length > 1) {
      throw new HttpError(
        400,
        `${SOURCE}: ${documents.length} YAML documents (the second starts on line ` +
          `${documents[1].line}); send one payload per request`,
      );
    }
    return documents[0].value;
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (error instanceof ParseLimitError) throw new HttpError(413, error.message);
    if (error instanceof PayloadSyntaxError) throw new HttpError(400, error.message);
    // The parsers can also fail outside their own error types (a stack overflow on absurd
    // nesting, say); that is still the client's malformed input.
    throw new HttpError(
      400,
      `${SOURCE}: cannot be parsed as ${format.toUpperCase()}: ${String((error as Error).message ?? error)}`,
    );
  }
}
