/**
 * The words to show for a server's error answer. Immuta answers `{ statusCode, error, message }`
 * and its message is shown whole (validation lists one problem a line). Anything else came from
 * something in front of Immuta or instead of it (a proxy's 502 page, a login page, a wrong URL):
 * its first line says enough, the rest of a page only buries the status in a log.
 */

/** Characters of a non-JSON answer shown at most. */
export const MAX_SHOWN = 200;

/** The server's message from an error body `{ statusCode, error, message }`, else its first line. */
export function serverMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === "object") {
      const { message, error } = parsed as { message?: unknown; error?: unknown };
      if (typeof message === "string" && message !== "") return message;
      if (typeof error === "string" && error !== "") return error;
    }
  } catch {
    // not JSON: a proxy's HTML page, a plain-text answer
  }
  if (looksLikeHtml(body)) {
    const line = htmlHeadline(body);
    return line === "" ? "an HTML page" : `HTML page "${clip(line)}"`;
  }
  const lines = body
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  if (lines.length === 0) return "";
  return lines.length === 1 ? clip(lines[0]) : `${clip(lines[0])} [${lines.length - 1} more lines]`;
}

function looksLikeHtml(body: string): boolean {
  return /^\s*(<!doctype html|<html|<head|<body|<\?xml|<!--)/i.test(body);
}

/** A page's title, else its first line of text. */
function htmlHeadline(page: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(page);
  const text = title
    ? title[1]
    : page
        .replace(/<!--[\s\S]*?-->/g, "")
        .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, "")
        .replace(/<[^>]*>/g, "\n");
  return (
    decodeEntities(text)
      .split("\n")
      .map((line) => line.replace(/\s+/g, " ").trim())
      .find((line) => line !== "") ?? ""
  );
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[\da-f]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== "#") return ENTITIES[name.toLowerCase()] ?? whole;
    const code =
      name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function clip(line: string): string {
  return line.length > MAX_SHOWN ? `${line.slice(0, MAX_SHOWN)}...` : line;
}
