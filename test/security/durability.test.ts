/**
 * What the adversarial test of main found solid, kept so: acknowledged writes survive `kill -9`
 * at any moment (bounded here to a few cycles), concurrent POSTs are neither lost nor duplicated,
 * and every request with bad credentials is refused.
 */
import { Agent, request } from "undici";
import { serve } from "../server/support";
import { spawnServer, tempDir } from "./support";

const KEY = "durable-key-Mb58tYe1";
const CYCLES = 5;
const WRITERS = 4;

test(`acknowledged writes survive ${CYCLES} kill -9 cycles`, async () => {
  const dataDir = tempDir();
  /** purpose name → the highest version the server acknowledged. */
  const acknowledged = new Map<string, number>();
  let version = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const server = await spawnServer(["--data-dir", dataDir, "--api-key", KEY]);
    // What earlier cycles acknowledged is there, at that version or a later one.
    for (const [name, at] of acknowledged) {
      const answer = await fetch(`${server.url}/api/v2/purpose/${name}`, {
        headers: { authorization: KEY },
      });
      const { description } = (await answer.json()) as { description: string };
      const stored = Number(/^v(\d+)$/.exec(description)![1]);
      expect([name, stored >= at]).toEqual([name, true]);
    }
    let killed = false;
    const writer = async (w: number) => {
      while (!killed) {
        const name = `P${w}-${version % 7}`;
        const v = ++version;
        try {
          const answer = await fetch(`${server.url}/api/v2/purpose`, {
            method: "POST",
            headers: { authorization: KEY, "content-type": "application/json" },
            body: JSON.stringify({ name, description: `v${v}` }),
          });
          if (answer.status === 200) {
            acknowledged.set(name, Math.max(acknowledged.get(name) ?? 0, v));
          }
        } catch {
          return; // the server was killed under this request
        }
      }
    };
    const writing = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 350));
    killed = true;
    server.child.kill("SIGKILL");
    await server.exited;
    await writing;
  }
  expect(acknowledged.size).toBeGreaterThan(0);
}, 60_000);

test("500 concurrent POSTs: each answered once, none lost, none duplicated", async () => {
  const server = await serve({ apiKeys: [{ key: KEY }] });
  const agent = new Agent({ connections: 64 });
  const answers = await Promise.all(
    Array.from({ length: 500 }, async (_, i) => {
      const response = await request(`${server.url}/api/v2/purpose`, {
        method: "POST",
        headers: { authorization: KEY, "content-type": "application/json" },
        body: JSON.stringify({ name: `C${i}` }),
        dispatcher: agent,
      });
      return { status: response.statusCode, body: (await response.body.json()) as any };
    }),
  );
  expect(answers.every((a) => a.status === 200 && a.body.creating === true)).toBe(true);
  expect(new Set(answers.map((a) => a.body.purposeId)).size).toBe(500);
  const listed = await server.call("GET", "/api/v2/purpose", undefined, { auth: KEY });
  expect(listed.body).toHaveLength(500);
  await agent.close();
  await server.close();
});

test("200 requests with bad credentials are all 401 and change nothing", async () => {
  const server = await serve({ apiKeys: [{ key: KEY }] });
  const bad = [
    null,
    "",
    "Bearer",
    "Bearer ",
    `${KEY}x`,
    KEY.slice(0, -1),
    `Basic ${KEY}`,
    "bearer  ",
  ];
  const statuses = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      server
        .post("purpose", { name: `B${i}` }, "", { auth: bad[i % bad.length] })
        .then((a) => a.status),
    ),
  );
  expect(new Set(statuses)).toEqual(new Set([401]));
  expect((await server.call("GET", "/api/v2/purpose", undefined, { auth: KEY })).body).toEqual([]);
  await server.close();
});
