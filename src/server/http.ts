/**
 * The V2 API on `node:http` (or `node:https` given a certificate): reads each body up to the
 * limit, hands the request to `Api`, writes the answer. A body over the limit is answered 413
 * at once and the rest of it discarded as it arrives, never buffered.
 */
import { readFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import type { Api, ApiAnswer } from "./api";

export interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

export interface ListenOptions {
  readonly port: number;
  readonly host: string;
  readonly maxBodyBytes: number;
  readonly tlsCert?: string | Buffer;
  readonly tlsKey?: string | Buffer;
}

export async function listen(api: Api, options: ListenOptions): Promise<Listening> {
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const exchange = api.receive(method, url);
    readBody(req, options.maxBodyBytes)
      .then((body) =>
        api.answer(exchange, {
          method,
          url,
          authorization: req.headers.authorization,
          contentType: req.headers["content-type"],
          body,
        }),
      )
      .then((answer) => send(res, answer))
      // The client went away before its body arrived: nobody to answer.
      .catch(() => res.destroy());
  };
  const tls = options.tlsCert !== undefined || options.tlsKey !== undefined;
  const server = tls
    ? https.createServer(
        { cert: pem(options.tlsCert, "tlsCert"), key: pem(options.tlsKey, "tlsKey") },
        onRequest,
      )
    : http.createServer(onRequest);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://${displayHost(options.host)}:${port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await api.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The body, or undefined when it exceeds the limit (the rest is then drained, up to a bound). */
function readBody(req: http.IncomingMessage, max: number): Promise<Uint8Array | undefined> {
  const declared = Number(req.headers["content-length"]);
  if (declared > max) {
    drain(req, max);
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off("data", onData);
      chunks.length = 0;
      drain(req, max);
      resolve(undefined);
    };
    req.on("data", onData);
    req.once("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.once("close", () => reject(new Error("client closed the connection")));
  });
}

/** How much of an oversized body is read and discarded, at least, before the connection is cut. */
const DRAIN_BYTES = 16 * 1024 * 1024;

/**
 * Discards the rest of an oversized body, so that a client still sending can read the 413 (cutting
 * the connection at once would reset it, and the client would lose the answer); past a bound, the
 * connection is cut anyway.
 */
function drain(req: http.IncomingMessage, max: number): void {
  const limit = Math.max(max, DRAIN_BYTES);
  let discarded = 0;
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > limit) req.socket.destroy();
  });
  req.resume();
}

function send(res: http.ServerResponse, answer: ApiAnswer): void {
  if ("drop" in answer) {
    res.socket?.destroy();
    return;
  }
  res.writeHead(answer.status, {
    ...answer.headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(answer.body),
  });
  res.end(answer.body);
}

/** PEM text as given, or read from the file a path names. */
function pem(value: string | Buffer | undefined, name: string): string | Buffer {
  if (value === undefined)
    throw new Error(`${name} is required for TLS (give both tlsCert and tlsKey)`);
  if (Buffer.isBuffer(value) || value.includes("-----BEGIN")) return value;
  return readFileSync(value);
}

function displayHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
