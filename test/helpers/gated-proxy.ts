/**
 * An HTTP proxy in front of a test server that holds the requests a test chooses until it opens
 * the gate: a deploy that has started writing can then be kept running, holding its state lock,
 * for exactly as long as the test needs (no sleeps, no timing luck). Binds 127.0.0.1, port 0.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface GatedProxy {
  readonly url: string;
  /** How many requests are being held now. */
  held(): number;
  /** Lets every held request through, and every later one. */
  open(): void;
  close(): Promise<void>;
}

export async function startGatedProxy(
  target: string,
  hold: (method: string, path: string) => boolean,
): Promise<GatedProxy> {
  const waiting: (() => void)[] = [];
  let opened = false;
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const upstream = request(
      new URL(req.url ?? "/", target),
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      res.writeHead(502).end(String(error));
    });
    upstream.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (!opened && hold(req.method ?? "GET", req.url ?? "/")) {
        waiting.push(() => forward(req, res, body));
      } else {
        forward(req, res, body);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    held: () => waiting.length,
    open() {
      opened = true;
      for (const release of waiting.splice(0)) release();
    },
    close: () =>
      new Promise<void>((resolve) => {
        opened = true;
        for (const release of waiting.splice(0)) release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
