/**
 * Retries: which failures are retried, how often, how long apart, and what is left when they run
 * out. Against the embedded server's injected faults where it can produce the case, and undici's
 * MockAgent where it cannot (a Retry-After header, a 502, an ECONNRESET).
 */
import { MockAgent } from "undici";
import { ImmutaClient, type ClientOptions, type RetryEvent } from "../../src/client";
import { retryAfterMs, retryDecision, retryDelay } from "../../src/client/retry";
import { ApiError, NetworkError } from "../../src/errors";
import type { PayloadByKind } from "../../src/payload/types";
import { API_KEY, KEYS, PAYLOADS, testServer } from "./fixtures";

const purpose = PAYLOADS.purpose as PayloadByKind["purpose"];
const clients: ImmutaClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function client(url: string, options: Partial<ClientOptions> = {}) {
  const retries: RetryEvent[] = [];
  const created = new ImmutaClient({
    url,
    apiKey: API_KEY,
    retryDelayMs: 1,
    onRetry: (event) => retries.push(event),
    ...options,
  });
  clients.push(created);
  return { immuta: created, retries };
}

describe("retries against the embedded server", () => {
  it("retries a POST after 503s and succeeds", async () => {
    const server = await testServer({ faults: [{ status: 503, times: 2, method: "POST" }] });
    const { immuta, retries } = client(server.url);
    expect(await immuta.apply("purpose", purpose)).toMatchObject({ creating: true });
    expect(server.requests().map((r) => r.status)).toEqual([503, 503, 200]);
    expect(retries.map((r) => [r.attempt, r.reason])).toEqual([
      [1, "503"],
      [2, "503"],
    ]);
  });

  it("retries after a dropped connection and succeeds", async () => {
    const server = await testServer({ faults: [{ drop: true, times: 1 }] });
    const { immuta, retries } = client(server.url);
    expect(await immuta.apply("purpose", purpose)).toMatchObject({ creating: true });
    expect(server.requests().map((r) => r.status)).toEqual([0, 200]);
    expect(retries).toHaveLength(1);
    expect(retries[0].reason).toMatch(/^(ECONNRESET|UND_ERR_SOCKET)$/);
  });

  it("retries a DELETE too (every V2 call is idempotent)", async () => {
    const server = await testServer({ faults: [{ status: 502, times: 1, method: "DELETE" }] });
    const { immuta } = client(server.url);
    await immuta.apply("purpose", purpose);
    expect(await immuta.delete("purpose", KEYS.purpose)).toMatchObject({ deleted: KEYS.purpose });
    expect(server.requests().map((r) => `${r.method} ${r.status}`)).toEqual([
      "POST 200",
      "DELETE 502",
      "DELETE 200",
    ]);
  });

  it("does not retry a 400", async () => {
    const server = await testServer();
    const { immuta, retries } = client(server.url);
    const wrong = { name: "x", unknownField: 1 } as unknown as PayloadByKind["purpose"];
    await expect(immuta.apply("purpose", wrong)).rejects.toMatchObject({ status: 400 });
    expect(server.requests()).toHaveLength(1);
    expect(retries).toEqual([]);
  });

  it("gives up after the configured retries with the last answer's status and message", async () => {
    const server = await testServer({ faults: [{ status: 503 }] });
    const { immuta } = client(server.url, { retries: 3 });
    const error = await immuta.apply("purpose", purpose).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, serverMessage: "Injected fault (status=503)" });
    expect(server.requests()).toHaveLength(4);
  });

  it("does not retry at all with retries: 0", async () => {
    const server = await testServer({ faults: [{ status: 503 }] });
    const { immuta } = client(server.url, { retries: 0 });
    await expect(immuta.apply("purpose", purpose)).rejects.toMatchObject({ status: 503 });
    expect(server.requests()).toHaveLength(1);
  });

  it("times out a request whose answer does not come, without retrying it", async () => {
    const server = await testServer({ faults: [{ delayMs: 2000, times: 1 }] });
    const { immuta, retries } = client(server.url, { timeoutMs: 200 });
    const started = Date.now();
    const error = await immuta.apply("purpose", purpose).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ causeCode: "UND_ERR_HEADERS_TIMEOUT", attempts: 1 });
    expect((error as Error).message).toMatch(
      /^purpose "Clinical Research": POST \/api\/v2\/purpose failed: no answer from 127\.0\.0\.1:\d+ within 0\.2 s$/,
    );
    expect(retries).toEqual([]);
  });

  it("lets a data request's wait extend its timeout", async () => {
    const server = await testServer({ creationDelayMs: 400 });
    const { immuta } = client(server.url, { timeoutMs: 200 });
    const data = await immuta.apply(
      "data",
      { ...PAYLOADS.data, connection: { ...PAYLOADS.data.connection, password: "x" } },
      { wait: 5 },
    );
    expect(data.creating).toHaveLength(2);
    expect(data.pending).toBeUndefined();
  });
});

describe("retries with undici's MockAgent", () => {
  const ORIGIN = "http://immuta.test";
  let agent: MockAgent;
  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
  });

  const ok = { dryRun: false, creating: true, updating: false, purposeId: 1 };
  const intercept = () =>
    agent.get(ORIGIN).intercept({ path: "/api/v2/purpose?dryRun=false", method: "POST" });

  it("waits as a 429's Retry-After asks", async () => {
    intercept().reply(429, { message: "slow down" }, { headers: { "retry-after": "1" } });
    intercept().reply(200, ok);
    const { immuta, retries } = client(ORIGIN, { dispatcher: agent });
    const started = Date.now();
    expect(await immuta.apply("purpose", purpose)).toEqual(ok);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(retries).toEqual([
      {
        attempt: 1,
        attempts: 5,
        delayMs: 1000,
        reason: "429",
        retryAfter: true,
        retryAfterMs: 1000,
        ...request(),
      },
    ]);
  });

  it("hands later attempts to undici's RetryHandler, Retry-After included", async () => {
    intercept().reply(503, { message: "busy" });
    intercept().reply(429, { message: "slow down" }, { headers: { "retry-after": "0.05" } });
    intercept().reply(504, "gateway timeout");
    intercept().reply(200, ok);
    const { immuta, retries } = client(ORIGIN, { dispatcher: agent });
    expect(await immuta.apply("purpose", purpose)).toEqual(ok);
    expect(retries.map((r) => [r.attempt, r.reason, r.retryAfter])).toEqual([
      [1, "503", false],
      [2, "429", true],
      [3, "504", false],
    ]);
    expect(retries[1].delayMs).toBe(50);
  });

  it("honours a Retry-After longer than the backoff ceiling (45 s), up to the maximum set", async () => {
    // A 45 s wait shown without waiting it: the configured maximum here is 20 ms.
    intercept().reply(429, { message: "slow down" }, { headers: { "retry-after": "45" } });
    intercept().reply(503, { message: "busy" }, { headers: { "retry-after": "45" } });
    intercept().reply(200, ok);
    const { immuta, retries } = client(ORIGIN, { dispatcher: agent, maxRetryAfterMs: 20 });
    expect(await immuta.apply("purpose", purpose)).toEqual(ok);
    // The first retry is decided by the client, the second inside undici's RetryHandler.
    expect(
      retries.map(({ attempt, reason, delayMs, retryAfterMs }) => ({
        attempt,
        reason,
        delayMs,
        retryAfterMs,
      })),
    ).toEqual([
      { attempt: 1, reason: "429", delayMs: 20, retryAfterMs: 45_000 },
      { attempt: 2, reason: "503", delayMs: 20, retryAfterMs: 45_000 },
    ]);
  });

  it("waits a 45 s Retry-After in full by default (the maximum is 300 s), not the 30 s backoff ceiling", async () => {
    jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
    try {
      intercept().reply(429, { message: "slow down" }, { headers: { "retry-after": "45" } });
      intercept().reply(200, ok);
      const { immuta, retries } = client(ORIGIN, { dispatcher: agent });
      let settled = false;
      const applied = immuta.apply("purpose", purpose).finally(() => (settled = true));
      await jest.advanceTimersByTimeAsync(44_900);
      expect(retries).toMatchObject([{ delayMs: 45_000, retryAfterMs: 45_000 }]);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(200);
      expect(await applied).toEqual(ok);
    } finally {
      jest.useRealTimers();
    }
  });

  it("keeps the server's message when undici's retries run out", async () => {
    intercept().reply(502, { statusCode: 502, error: "Bad Gateway", message: "upstream down" });
    intercept().reply(502, { statusCode: 502, error: "Bad Gateway", message: "upstream down" });
    intercept().reply(502, { statusCode: 502, error: "Bad Gateway", message: "still down" });
    const { immuta } = client(ORIGIN, { dispatcher: agent, retries: 2 });
    const error = await immuta.apply("purpose", purpose).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toBe(
      'purpose "Clinical Research": POST /api/v2/purpose failed with 502 Bad Gateway: still down',
    );
  });

  it("retries a connection reset, and reports how many attempts a lasting one took", async () => {
    const reset = () => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    intercept().replyWithError(reset());
    intercept().reply(200, ok);
    const { immuta } = client(ORIGIN, { dispatcher: agent });
    expect(await immuta.apply("purpose", purpose)).toEqual(ok);

    for (let i = 0; i < 3; i++) intercept().replyWithError(reset());
    const failing = client(ORIGIN, { dispatcher: agent, retries: 2 }).immuta;
    const error = await failing.apply("purpose", purpose).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ causeCode: "ECONNRESET", attempts: 3 });
    expect((error as Error).message).toMatch(
      /was closed before an answer came \(after 3 attempts\)$/,
    );
  });

  it("does not retry a 500, a 401 or a 409", async () => {
    for (const status of [500, 401, 409]) {
      intercept().reply(status, { message: `answer ${status}` });
      const { immuta, retries } = client(ORIGIN, { dispatcher: agent });
      await expect(immuta.apply("purpose", purpose)).rejects.toMatchObject({ status });
      expect(retries).toEqual([]);
    }
    agent.assertNoPendingInterceptors();
  });

  it("sends Authorization as a bearer token by default, raw when asked", async () => {
    const seen: unknown[] = [];
    const capture = (options: { headers?: unknown }) => {
      seen.push((options.headers as Record<string, string>).authorization);
      return { statusCode: 200, data: ok };
    };
    intercept().reply(capture);
    intercept().reply(capture);
    await client(ORIGIN, { dispatcher: agent }).immuta.apply("purpose", purpose);
    await client(ORIGIN, { dispatcher: agent, authHeader: "raw" }).immuta.apply("purpose", purpose);
    expect(seen).toEqual([`Bearer ${API_KEY}`, API_KEY]);
  });

  function request() {
    return { method: "POST", path: "/api/v2/purpose?dryRun=false", payload: purpose };
  }
});

describe("the retry decision", () => {
  const policy = { retries: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 45_000 };
  const status = (statusCode: number, headers = {}) =>
    Object.assign(new Error(), { code: "UND_ERR_REQ_RETRY", statusCode, headers });

  it("backs off exponentially with jitter between half and all of each step", () => {
    const low = { ...policy, random: () => 0 };
    const high = { ...policy, random: () => 0.999999 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(low, n))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(high, n))).toEqual([100, 200, 400, 800, 1000]);
  });

  it("takes Retry-After in seconds or as an HTTP date, capped by its own maximum, not the backoff's", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(retryAfterMs("2", now)).toBe(2000);
    expect(retryAfterMs("Wed, 01 Jan 2025 00:00:03 GMT", now)).toBe(3000);
    expect(retryAfterMs("Tue, 31 Dec 2024 23:59:00 GMT", now)).toBeUndefined();
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryDelay(policy, 1, 30_000)).toBe(30_000);
    expect(retryDelay(policy, 1, 60_000)).toBe(45_000);
    expect(retryDecision(policy, status(429, { "retry-after": "60" }), 1, "GET")).toMatchObject({
      delayMs: 45_000,
      retryAfter: true,
      retryAfterMs: 60_000,
    });
  });

  it("retries 429, 502, 503, 504 and connection failures, up to the limit, on GET, POST and DELETE", () => {
    for (const code of [429, 502, 503, 504]) {
      expect(retryDecision(policy, status(code), 1, "POST")).toMatchObject({
        reason: String(code),
      });
    }
    for (const code of [400, 401, 403, 404, 409, 413, 500]) {
      expect(retryDecision(policy, status(code), 1, "POST")).toBeUndefined();
    }
    const reset = Object.assign(new Error(), { code: "ECONNRESET" });
    expect(retryDecision(policy, reset, 4, "DELETE")).toMatchObject({ attempt: 4, attempts: 5 });
    expect(retryDecision(policy, reset, 5, "DELETE")).toBeUndefined();
    expect(retryDecision(policy, reset, 1, "PATCH")).toBeUndefined();
    const timeout = Object.assign(new Error(), { code: "UND_ERR_HEADERS_TIMEOUT" });
    expect(retryDecision(policy, timeout, 1, "GET")).toBeUndefined();
  });
});
