/** Low-level request failures in words: what happened, where, and its code for scripts. */

export interface Failure {
  readonly reason: string;
  readonly code?: string;
}

export function describeFailure(error: unknown, origin: string, timeoutMs: number): Failure {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  const host = new URL(origin).host;
  if (isPlainHttpAnswerToTls(code, message)) {
    const plain = origin.replace(/^https:/, "http:");
    return { reason: `the server at ${origin} does not speak TLS; use ${plain}`, code };
  }
  switch (code) {
    case "ECONNREFUSED":
      return { reason: `connection refused by ${host} (is the server running?)`, code };
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return { reason: `cannot resolve the host name ${new URL(origin).hostname}`, code };
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
      return { reason: `the connection to ${host} was closed before an answer came`, code };
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
      return { reason: `no answer from ${host} within ${seconds(timeoutMs)}`, code };
    case "UND_ERR_BODY_TIMEOUT":
      return { reason: `the answer from ${host} stalled`, code };
    case "ETIMEDOUT":
    case "ENETUNREACH":
    case "EHOSTUNREACH":
      return { reason: `${host} is unreachable (${code})`, code };
    default:
      return { reason: `${message ?? String(error)}${code ? ` (${code})` : ""}`, code };
  }
}

/**
 * An https:// URL on a plain-HTTP server: the server's first bytes are not a TLS record, and
 * OpenSSL reports that as "wrong version number" (node:https: EPROTO; undici:
 * ERR_SSL_WRONG_VERSION_NUMBER), or "packet length too long" when the bytes happen to parse.
 */
function isPlainHttpAnswerToTls(code: string | undefined, message: string | undefined): boolean {
  if (code === "ERR_SSL_WRONG_VERSION_NUMBER" || code === "ERR_SSL_PACKET_LENGTH_TOO_LONG") {
    return true;
  }
  return code === "EPROTO" && /wrong version number|packet length too long/i.test(message ?? "");
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
