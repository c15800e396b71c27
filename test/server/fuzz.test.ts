/**
 * Hostile input, in-process against the request handler: random bytes, truncated and mutated
 * bodies, structurally mutated payloads. Nothing may produce a 5xx, and nothing but a 200 may
 * change the stored state.
 */
import { Api, type ApiAnswer } from "../../src/server/api";
import { acme, policy, project, purpose, table } from "./support";

/** A small seeded PRNG (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALID: Record<string, unknown> = {
  purpose: purpose("Research", {
    acknowledgement: "ok",
    subpurposes: [{ name: "Research.Clinical" }],
  }),
  data: acme({
    options: { tableTags: ["A"], hardDelete: false },
    owners: [{ type: "group", name: "g" }],
    sources: [
      table("customers", "public", {
        tags: { table: ["PII"], columns: [{ columnName: "email", tags: ["PII.Email"] }] },
      }),
      { query: "select 1", naming: { datasource: "q" } },
      { all: true },
    ],
  }),
  policy: policy("mask", {
    circumstances: [
      { type: "tags", tag: "PII" },
      { type: "columnRegex", regex: "^e", caseInsensitive: true },
    ],
    circumstanceOperator: "all",
  }),
  project: project("churn", {
    purposes: ["Research.Clinical"],
    datasources: ["public.orders"],
    workspace: { type: "snowflake", config: {} },
  }),
};
const KINDS = ["purpose", "data", "policy", "project"];

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 100000);
const rand = random(seed);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];

function randomValue(depth = 0): unknown {
  switch (Math.floor(rand() * (depth > 3 ? 6 : 9))) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5;
    case 2:
      return pick([0, -1, 1.5, 1e308, 65536, Number.MAX_SAFE_INTEGER]);
    case 3:
      return pick([
        "",
        "x",
        "Research",
        "public.orders",
        "<schema>",
        "\u0000",
        "__proto__",
        "a".repeat(300),
        "(",
        "\ud83d\ude00",
      ]);
    case 4:
      return { $env: pick(["X", "1bad", ""]) };
    case 5:
      return pick([{ all: true }, { type: "noTags" }, { type: "tags", tag: "PII" }]);
    case 6:
      return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = Math.floor(rand() * 4); i > 0; i--) {
        out[
          pick([
            "name",
            "table",
            "schema",
            "tags",
            "type",
            "config",
            "columns",
            "all",
            "query",
            "naming",
            "x",
          ])
        ] = randomValue(depth + 1);
      }
      return out;
    }
  }
}

/** The payload with one randomly chosen subtree replaced, removed, or given an extra field. */
function mutate(value: unknown): unknown {
  if (value === null || typeof value !== "object" || rand() < 0.25) return randomValue();
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value)
    ? [...value]
    : { ...(value as object) };
  const keys = Object.keys(copy);
  if (keys.length === 0 || rand() < 0.15) {
    (copy as Record<string, unknown>)[pick(["extra", "0", "name", "sources"])] = randomValue();
    return copy;
  }
  const key = pick(keys);
  if (rand() < 0.2) delete (copy as Record<string, unknown>)[key];
  else (copy as Record<string, unknown>)[key] = mutate((copy as Record<string, unknown>)[key]);
  return copy;
}

function randomBytes(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

describe(`fuzzed requests (FUZZ_SEED=${seed})`, () => {
  let api: Api;
  let state: string;

  const call = (
    method: string,
    url: string,
    body: Uint8Array,
    contentType = "application/json",
  ): Promise<ApiAnswer> => api.handle({ method, url, authorization: "fuzzer", contentType, body });

  async function snapshot(): Promise<string> {
    const parts: string[] = [];
    for (const kind of KINDS) {
      const list = await call("GET", `/api/v2/${kind}`, Buffer.alloc(0));
      if ("drop" in list) throw new Error("dropped");
      for (const key of JSON.parse(list.body) as string[]) {
        const one = await call(
          "GET",
          `/api/v2/${kind}/${encodeURIComponent(key)}`,
          Buffer.alloc(0),
        );
        parts.push("drop" in one ? "" : one.body);
      }
    }
    return parts.join("\n");
  }

  /** Sends one request; asserts no 5xx, and that only a 200 changed anything. */
  async function attempt(method: string, url: string, body: Uint8Array, contentType?: string) {
    const answer = await call(method, url, body, contentType);
    if ("drop" in answer) throw new Error("a request was dropped without a fault configured");
    if (answer.status >= 500) {
      throw new Error(
        `${answer.status} for ${method} ${url} ${Buffer.from(body).toString("utf8").slice(0, 500)}: ${answer.body}`,
      );
    }
    const after = await snapshot();
    if (answer.status !== 200 || url.includes("dryRun=true")) {
      if (after !== state)
        throw new Error(
          `state changed by a ${answer.status}: ${method} ${url} ${Buffer.from(body).toString("utf8").slice(0, 500)}`,
        );
    }
    state = after;
    return answer.status;
  }

  beforeAll(async () => {
    api = new Api();
    for (const kind of KINDS) {
      const answer = await call(
        "POST",
        `/api/v2/${kind}`,
        Buffer.from(JSON.stringify(VALID[kind])),
      );
      expect(answer).toMatchObject({ status: 200 });
    }
    state = await snapshot();
  });
  afterAll(() => api.close());

  test("random bytes under every content type", async () => {
    for (let i = 0; i < 600; i++) {
      const type = pick(["application/json", "text/plain", "application/yaml", "text/html", ""]);
      await attempt("POST", `/api/v2/${pick(KINDS)}`, randomBytes(Math.floor(rand() * 200)), type);
    }
  });

  test("every truncation of each valid JSON body", async () => {
    for (const kind of KINDS) {
      const text = JSON.stringify(VALID[kind]);
      for (let cut = 0; cut < text.length; cut++) {
        expect(await attempt("POST", `/api/v2/${kind}`, Buffer.from(text.slice(0, cut)))).toBe(400);
      }
    }
  });

  test("truncated YAML bodies sent as text/plain", async () => {
    const { stringify } = await import("yaml");
    for (const kind of KINDS) {
      const text = stringify(VALID[kind]);
      for (let cut = 0; cut < text.length; cut += 3) {
        await attempt("POST", `/api/v2/${kind}`, Buffer.from(text.slice(0, cut)), "text/plain");
      }
    }
  });

  test("byte-level mutations of valid bodies", async () => {
    for (let i = 0; i < 800; i++) {
      const kind = pick(KINDS);
      const bytes = Buffer.from(JSON.stringify(VALID[kind]));
      const at = Math.floor(rand() * bytes.length);
      const mutated =
        rand() < 0.5
          ? Buffer.concat([
              bytes.subarray(0, at),
              randomBytes(1 + Math.floor(rand() * 3)),
              bytes.subarray(at + 1),
            ])
          : Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + Math.floor(rand() * 5))]);
      await attempt("POST", `/api/v2/${kind}${rand() < 0.3 ? "?dryRun=true" : ""}`, mutated);
    }
  });

  test("structural mutations of valid payloads", async () => {
    for (let i = 0; i < 1200; i++) {
      const kind = pick(KINDS);
      const body = Buffer.from(JSON.stringify(mutate(VALID[kind])) ?? "null");
      await attempt("POST", `/api/v2/${kind}${rand() < 0.3 ? "?dryRun=true" : ""}`, body);
    }
  });

  test("random paths, methods and query strings", async () => {
    for (let i = 0; i < 400; i++) {
      const path = pick([
        "/api/v2/",
        "/api/v2/data/",
        `/api/v2/${pick(KINDS)}/${pick(["%", "%E0%A4%A", "a%2Fb", "acme", "Research", "churn", "x y", ""])}`,
        `/api/v2/${pick(KINDS)}?${pick(["dryRun", "wait=", "wait=-0.5", "dryRun=true&dryRun=false", "a=%ZZ", "reCertify=TRUE"])}`,
        "/",
        "//api/v2/data",
        // The compatibility routes.
        `/${pick(["governance/purpose", "project", "tag"])}/${pick(["1", "2", "0", "abc", "%", "", "1/members/1/acknowledge", "1/members/x/acknowledge", "a.b", "99999999999999999999"])}`,
        `/${pick(["governance/purpose", "project", "tag"])}?${pick(["searchText=a", "size=-1", "noLimit=yes", "limit=1&limit=2", "nameOnly=true", "x=1"])}`,
      ]);
      await attempt(
        pick(["GET", "POST", "DELETE", "PUT", "PATCH"]),
        path,
        randomBytes(Math.floor(rand() * 20)),
      );
    }
  });
});
