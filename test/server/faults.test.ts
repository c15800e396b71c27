/** Fault injection: chosen requests answered with a status, delayed, or dropped, N times. */
import { parseFault } from "../../src/server/faults";
import { UsageError } from "../../src/errors";
import { policy, purpose, serve } from "./support";

describe("faults", () => {
  test("a status fault answers matching requests (by method, kind and key) the given number of times", async () => {
    const server = await serve({
      faults: [{ status: 503, times: 2, method: "POST", kind: "policy", key: "mask-pii" }],
    });
    expect((await server.post("policy", policy("other"))).status).toBe(200);
    expect((await server.post("purpose", purpose("mask-pii"))).status).toBe(200);
    const first = await server.post("policy", policy("mask-pii"));
    expect(first.status).toBe(503);
    expect(first.body).toEqual({
      statusCode: 503,
      error: "Service Unavailable",
      message: "Injected fault (status=503,times=2,method=POST,kind=policy,key=mask-pii)",
    });
    expect((await server.post("policy", policy("mask-pii"))).status).toBe(503);
    expect((await server.post("policy", policy("mask-pii"))).status).toBe(200);
    // Faulted requests change nothing, and are logged with their status.
    expect(server.requests().map((r) => [r.key, r.status])).toEqual([
      ["other", 200],
      ["mask-pii", 200],
      ["mask-pii", 503],
      ["mask-pii", 503],
      ["mask-pii", 200],
    ]);
    expect((await server.post("policy", policy("mask-pii"))).body.policyId).toBe(2);
    await server.close();
  });

  test("a delay fault holds the answer, then handles the request normally", async () => {
    const server = await serve({ faults: [{ delayMs: 120, times: 1 }] });
    const started = Date.now();
    expect((await server.post("purpose", purpose("A"))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    await server.close();
  });

  test("a drop fault closes the connection without an answer, logged as status 0", async () => {
    const server = await serve({ faults: [{ drop: true, times: 1, kind: "purpose" }] });
    await expect(server.post("purpose", purpose("A"))).rejects.toThrow();
    expect((await server.post("purpose", purpose("A"))).status).toBe(200);
    expect(server.requests().map((r) => r.status)).toEqual([0, 200]);
    await server.close();
  });

  test("GET and DELETE match on the key in the URL", async () => {
    const server = await serve({ faults: [{ status: 500, method: "DELETE", key: "x y" }] });
    await server.post("purpose", purpose("x y"));
    expect((await server.call("GET", "/api/v2/purpose/x%20y")).status).toBe(200);
    expect((await server.call("DELETE", "/api/v2/purpose/x%20y")).status).toBe(500);
    await server.close();
  });

  test("close() ends a pending delay promptly", async () => {
    const server = await serve({ faults: [{ delayMs: 60_000 }] });
    const pending = server.post("purpose", purpose("A")).catch((error: Error) => error);
    while (server.requests().length === 0) await new Promise((resolve) => setImmediate(resolve));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe("--fault specs", () => {
  test("parse into faults", () => {
    expect(parseFault("status=503,times=2,method=POST,kind=policy,key=mask-pii")).toEqual({
      status: 503,
      times: 2,
      method: "POST",
      kind: "policy",
      key: "mask-pii",
    });
    expect(parseFault("delay=2000")).toEqual({ delayMs: 2000 });
    expect(parseFault("drop,times=1")).toEqual({ drop: true, times: 1 });
  });

  test("mistakes are usage errors saying what is wrong", () => {
    expect(() => parseFault("times=2")).toThrow(
      new UsageError("fault times=2: give a status, a delay or drop"),
    );
    expect(() => parseFault("status=abc")).toThrow(/status must be a whole number/);
    expect(() => parseFault("status=42")).toThrow(/from 100 to 599/);
    expect(() => parseFault("kind=widget,status=500")).toThrow(
      /kind must be data, policy, project or purpose/,
    );
    expect(() => parseFault("colour=red")).toThrow(/unknown setting "colour"/);
  });
});
