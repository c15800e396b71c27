/**
 * Issue 12, item 7: connections are capped, slow headers and bodies are cut in seconds, and
 * authenticated requests keep being served while idle connections are shed.
 */
import type { Socket } from "node:net";
import { serve } from "../server/support";
import { closedByServer, connect, firstResponse, requestHead, spawnServer } from "./support";

const KEY = "conn-test-key-Nv40cRq7";
/** What a slow client sends and never finishes: the start of a request's headers. */
const PARTIAL_HEAD = "POST /api/v2/data HTTP/1.1\r\nHost: 127.0.0.1\r\n";

async function openSlow(port: number, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = await connect(port);
    socket.write(PARTIAL_HEAD);
    sockets.push(socket);
  }
  return sockets;
}

test("past the cap, the connections idle longest are shed, and an authenticated request is served", async () => {
  const server = await serve({ apiKeys: [{ key: KEY }], maxConnections: 20 });
  const port = Number(new URL(server.url).port);
  const oldest = await openSlow(port, 20);
  const closed = oldest.slice(0, 10).map(closedByServer);
  await openSlow(port, 10);
  await Promise.all(closed);
  const answer = await fetch(`${server.url}/api/v2/purpose`, { headers: { authorization: KEY } });
  expect(answer.status).toBe(200);
  await server.close();
});

test("an authenticated client's kept-alive connection outlives strangers' idle ones", async () => {
  const server = await serve({ apiKeys: [{ key: KEY }], maxConnections: 10 });
  const port = Number(new URL(server.url).port);
  const client = await connect(port);
  const get = () => {
    const answer = firstResponse(client);
    client.write(requestHead("GET", "/api/v2/purpose", { authorization: KEY }));
    return answer;
  };
  expect((await get()).status).toBe(200);
  const strangers = await openSlow(port, 9);
  const shed = strangers.slice(0, 5).map(closedByServer);
  await openSlow(port, 5);
  await Promise.all(shed);
  expect((await get()).status).toBe(200);
  await server.close();
});

test("a client that does not finish its headers in time is cut", async () => {
  const server = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
  const socket = await connect(Number(new URL(server.url).port));
  socket.write(PARTIAL_HEAD);
  expect(await closedByServer(socket)).toMatch(/^(HTTP\/1\.1 408 |$)/);
  await server.close();
});

test("an admitted request whose body does not arrive in time is cut", async () => {
  const server = await serve({
    apiKeys: [{ key: KEY }],
    headersTimeoutMs: 300,
    requestTimeoutMs: 600,
  });
  const socket = await connect(Number(new URL(server.url).port));
  socket.write(
    requestHead("POST", "/api/v2/purpose", {
      authorization: KEY,
      "content-type": "application/json",
      "content-length": 1000,
    }) + '{"name":',
  );
  expect(await closedByServer(socket)).toMatch(/^(HTTP\/1\.1 408 |$)/);
  await server.close();
});

test("under a 160 open-file limit, 300 slow connections do not keep authenticated requests out", async () => {
  const server = await spawnServer(["--api-key", KEY, "--max-connections", "64"], {
    maxOpenFiles: 160,
  });
  const slow = await openSlow(server.port, 300);
  const statuses: number[] = [];
  for (let i = 0; i < 20; i++) {
    const answer = await fetch(`${server.url}/api/v2/purpose`, {
      method: "POST",
      headers: { authorization: KEY, "content-type": "application/json", connection: "close" },
      body: JSON.stringify({ name: `P${i}` }),
    });
    statuses.push(answer.status);
  }
  expect(statuses).toEqual(Array(20).fill(200));
  expect(slow.filter((socket) => !socket.destroyed).length).toBeLessThanOrEqual(64);
  expect(server.alive()).toBe(true);
  await server.stop();
});
