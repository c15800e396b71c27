/**
 * The V2 API on `node:http` (or `node:https` given a certificate). Each request is admitted by its
 * line and headers first (`Api.admit`): one refused there (no key, no permission, a bad query) is
 * answered at once and its body discarded unread. An admitted request's body is read up to its
 * limit; past it, 413 at once and the rest discarded as it arrives, never buffered. Connections are
 * capped (`ConnectionGuard`), and a client must send its headers, and its whole request, within
 * seconds.
 */
import { readFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { SECRET_PATHS_HEADER } from "../payload/secrets";
import type { Api, ApiAnswer } from "./api";
import { ConnectionGuard } from "./connections";

export interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

export interface ListenOptions {
  readonly port: number;
  readonly host: string;
  /** How much of a refused body is discarded, at least, before the connection is cut. */
  readonly maxBodyBytes: number;
  readonly maxConnections: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly tlsCert?: string | Buffer;
  readonly tlsKey?: string | Buffer;
}

export async function listen(api: Api, options: ListenOptions): Promise<Listening> {
  const guard = new ConnectionGuard(options.maxConnections);
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const exchange = api.receive(method, url);
    const secretPaths = req.headers[SECRET_PATHS_HEADER];
    const admitted = api.admit(exchange, {
      authorization: req.headers.authorization,
      contentType: req.headers["content-type"],
      secretPaths: Array.isArray(secretPaths) ? secretPaths.join(",") : secretPaths,
    });
    if (!("caller" in admitted)) {
      drain(req, options.maxBodyBytes);
      send(res, admitted);
      return;
    }
    guard.admitted(req.socket);
    let served = false;
    const done = () => {
      if (served) return;
      served = true;
      guard.answered(req.socket);
    };
    readBody(req, admitted.maxBodyBytes, options.maxBodyBytes)
      .then((body) => {
        guard.received(req.socket);
        res.once("close", done);
        return api.answer(exchange, admitted, body);
      })
      .then((answer) => send(res, answer))
      // The client went away before its body arrived: nobody to answer.
      .catch(() => res.destroy());
  };
  const timeouts = {
    headersTimeout: options.headersTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    // How often the timeouts above are checked (Node's default, 30 s, would add up to 30 s).
    connectionsCheckingInterval: Math.min(1000, options.headersTimeoutMs),
  };
  const tls = options.tlsCert !== undefined || options.tlsKey !== undefined;
  const server = tls
    ? https.createServer(
        {
          ...timeouts,
          cert: pem(options.tlsCert, "tlsCert"),
          key: pem(options.tlsKey, "tlsKey"),
          handshakeTimeout: options.headersTimeoutMs,
        },
        onRequest,
      )
    : http.createServer(timeouts, onRequest);
  trackConnections(server, guard, tls);

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

/**
 * Feeds the guard every connection. Over TLS a request's socket wraps the connection's: the two
 * are matched by the client's address and port, unique among open connections.
 */
function trackConnections(server: http.Server, guard: ConnectionGuard, tls: boolean): void {
  const byPeer = new Map<string, Socket>();
  const peer = (socket: Socket) => `${socket.remoteAddress}|${socket.remotePort}`;
  server.on("connection", (socket: Socket) => {
    guard.connect(socket);
    if (!tls || socket.destroyed) return;
    const id = peer(socket);
    byPeer.set(id, socket);
    socket.once("close", () => byPeer.get(id) === socket && byPeer.delete(id));
  });
  if (tls) {
    server.on("secureConnection", (wrapper: Socket) => {
      const socket = byPeer.get(peer(wrapper));
      if (socket) guard.alias(wrapper, socket);
    });
  }
}

/**
 * The body, or undefined when it exceeds `max` (the rest is then drained, up to `drainBytes` at
 * least).
 */
function readBody(
  req: http.IncomingMessage,
  max: number,
  drainBytes: number,
): Promise<Uint8Array | undefined> {
  const declared = Number(req.headers["content-length"]);
  if (declared > max) {
    drain(req, drainBytes);
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
      drain(req, drainBytes);
      resolve(undefined);
    };
    req.on("data", onData);
    req.once("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.once("close", () => reject(new Error("client closed the connection")));
  });
}

/** How much of an unread body is read and discarded, at least, before the connection is cut. */
const DRAIN_BYTES = 16 * 1024 * 1024;

/**
 * Discards the rest of a body that will not be read, so that a client still sending can read the
 * answer (cutting the connection at once would reset it, and the client would lose the answer);
 * past a bound, the connection is cut anyway. Its time is bounded by the request timeout.
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
