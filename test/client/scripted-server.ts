/**
 * A plain-HTTP server answering from a script, for what the embedded server never says: a
 * proxy's HTML page, a 429 with `Retry-After`. Each request gets the next answer; the last one
 * repeats. Listens on 127.0.0.1 port 0; closed after the test file.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
}

export interface ScriptedServer {
  readonly url: string;
  /** Method, path and headers of each request received, in order. */
  readonly requests: { method: string; path: string; headers: IncomingHttpHeaders }[];
}

const servers: Server[] = [];

export async function scriptedServer(answers: readonly ScriptedAnswer[]): Promise<ScriptedServer> {
  const requests: ScriptedServer["requests"] = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      requests.push({
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
      });
      const answer = answers[Math.min(requests.length, answers.length) - 1];
      const text =
        typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body ?? {});
      response.writeHead(answer.status, {
        "content-type": typeof answer.body === "string" ? "text/html" : "application/json",
        ...answer.headers,
      });
      response.end(text);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests };
}

afterAll(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});
