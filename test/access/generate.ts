/**
 * Random tenants from a seed, for comparing the simulator with the embedded server: a catalog of
 * a few connections, and per tenant some of those connections (every kind of `sources`, name
 * templates, table and column tags, query sources) and global policies with random circumstances.
 * Tags include near misses (`PIIX` is not under `PII`) and regexes differ only by letter case.
 * `richPolicies` and `randomUser` add every kind of rule and user, for checks without the server.
 */
import type { AccessCatalog, SimulatedUser } from "../../src/access";
import type {
  Circumstance,
  DataRule,
  DataSourcePayload,
  PolicyPayload,
  Source,
  SubscriptionActions,
} from "../../src/payload/types";

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  const chance = (p: number) => next() < p;
  const some = <T>(list: readonly T[], max = list.length): T[] =>
    list.filter(() => chance(0.5)).slice(0, max);
  return { int, pick, chance, some };
}
export type Random = ReturnType<typeof random>;

const TAGS = [
  "PII",
  "PII.Email",
  "PII.SSN",
  "PIIX",
  "Finance",
  "Finance.Orders",
  "Public",
  "Source.X",
];
const WANTED_TAGS = [...TAGS, "Nope", "PII.Email.Work"];
const COLUMNS = [
  "id",
  "email",
  "Email_Addr",
  "ssn",
  "phone",
  "name",
  "country",
  "amount",
  "created_at",
];
const REGEXES = ["^email$", "ssn", "^id$", "EMAIL", "a.*t", "^(phone|name)$", "_"];
const TABLES = ["customers", "orders", "payments", "leads", "events", "accounts"];
const TEMPLATES = [
  undefined,
  { dataSourceFormat: "<database>_<schema>_<tablename>" },
  { dataSourceFormat: "", tableFormat: "" },
  { dataSourceFormat: "<schema> <Tablename>" },
];

export const HOSTS = 4;
const host = (i: number) => `host${i}.example.com`;
const database = (i: number) => `DB${i}`;

/** The catalog every tenant draws from; schemas differ per host so default names never collide. */
export function generateCatalog(rng: Random): AccessCatalog {
  return {
    connections: Array.from({ length: HOSTS }, (_, i) => ({
      hostname: host(i),
      database: database(i),
      schemas: Object.fromEntries(
        [`s${i}a`, `s${i}b`].map((schema) => [
          schema,
          Object.fromEntries(
            rng
              .some(TABLES)
              .concat(TABLES[rng.int(TABLES.length)])
              .map((t) => [t, [...new Set(["id", ...rng.some(COLUMNS, 5)])]]),
          ),
        ]),
      ),
    })),
  };
}

function tagList(rng: Random, max: number): string[] {
  return [...new Set(rng.some(TAGS, max))];
}

function connectionPayload(rng: Random, catalog: AccessCatalog, i: number): DataSourcePayload {
  const entry = catalog.connections[i];
  const tables = Object.entries(entry.schemas).flatMap(([schema, t]) =>
    Object.entries(t).map(([table, columns]) => ({ schema, table, columns })),
  );
  const style = rng.int(4);
  let sources: Source[] | undefined;
  if (style > 0) {
    sources = rng.some(tables).map((t) => {
      const columns = rng
        .some([...t.columns], 3)
        .map((c) => ({ columnName: rng.chance(0.2) ? c.toUpperCase() : c, tags: tagList(rng, 2) }))
        .filter((c) => c.tags.length > 0);
      const table = tagList(rng, 2);
      return {
        table: t.table,
        schema: t.schema,
        ...(table.length > 0 || columns.length > 0
          ? { tags: { ...(table.length ? { table } : {}), ...(columns.length ? { columns } : {}) } }
          : {}),
      };
    });
    if (style === 2) sources.push({ all: true });
    if (rng.chance(0.3)) {
      sources.push({ query: "select 1", naming: { datasource: `Query ${i} ${rng.int(1000)}` } });
    }
  }
  const tableTags = tagList(rng, 2);
  const nameTemplate = rng.pick(TEMPLATES);
  return {
    connectionKey: `conn-${i}`,
    connection: { handler: "Trino", hostname: host(i), database: database(i) },
    ...(nameTemplate ? { nameTemplate } : {}),
    ...(tableTags.length > 0 || rng.chance(0.2) ? { options: { tableTags } } : {}),
    ...(rng.chance(0.5)
      ? { owners: [{ type: "group" as const, name: rng.pick(["owners", "stewards"]) }] }
      : {}),
    ...(sources ? { sources } : {}),
  };
}

function circumstance(rng: Random): Circumstance {
  switch (rng.int(4)) {
    case 0:
      return { type: "tags", tag: rng.pick(WANTED_TAGS) };
    case 1:
      return { type: "columnTags", columnTag: rng.pick(WANTED_TAGS) };
    case 2:
      return { type: "columnRegex", regex: rng.pick(REGEXES), caseInsensitive: rng.chance(0.5) };
    default:
      return { type: "noTags" };
  }
}

function policyPayload(rng: Random, n: number): PolicyPayload {
  const circumstances = Array.from({ length: rng.int(4) }, () => circumstance(rng));
  const common = {
    policyKey: `policy-${n}`,
    name: `Policy ${n}`,
    ...(circumstances.length > 0 || rng.chance(0.3) ? { circumstances } : {}),
    ...(rng.chance(0.6) ? { circumstanceOperator: rng.pick(["any", "all"] as const) } : {}),
    ...(rng.chance(0.3) ? { staged: rng.chance(0.5) } : {}),
    ...(rng.chance(0.2) ? { ownerRestrictions: { groups: ["owners"] } } : {}),
  };
  return rng.chance(0.5)
    ? { ...common, type: "subscription", actions: { type: "anyone" } }
    : {
        ...common,
        type: "data",
        actions: [
          {
            rules: [
              {
                type: "Masking",
                config: {
                  fields: [{ type: "columnTags", columnTag: rng.pick(TAGS) }],
                  maskingConfig: { type: "Hash" },
                },
              },
            ],
          },
        ],
      };
}

const GROUPS = ["analysts", "admins", "contractors", "eu"];

function ruleFor(rng: Random): DataRule {
  const targets = {
    ...(rng.chance(0.3)
      ? {
          exceptions: { groups: rng.some(GROUPS, 2), purposes: rng.some(["Research", "Fraud"], 1) },
        }
      : {}),
    ...(rng.chance(0.2) ? { inclusions: { groups: [rng.pick(GROUPS)] } } : {}),
  };
  switch (rng.int(4)) {
    case 0:
      return {
        type: "Row Restriction by Custom Where Clause",
        config: { predicate: `n < ${rng.int(9)}` },
        ...targets,
      };
    case 1:
      return {
        type: "Purpose Restriction",
        config: { purposes: [rng.pick(["Research", "Fraud"])] },
        ...targets,
      };
    default:
      return {
        type: "Masking",
        config: {
          fields: [
            rng.chance(0.8)
              ? { type: "columnTags", columnTag: rng.pick(TAGS) }
              : { type: "noTags" },
          ],
          maskingConfig: rng.chance(0.5) ? { type: "Hash" } : { type: "Constant", constant: "x" },
        },
        ...targets,
      };
  }
}

const ACTIONS: readonly SubscriptionActions[] = [
  { type: "anyone", automaticSubscription: true },
  { type: "anyone" },
  { type: "approval", approvals: [{ requiredPermission: "OWNER" }] },
  { type: "manual" },
  { type: "entitlements", entitlements: { groups: ["analysts"] } },
  {
    type: "entitlements",
    entitlements: { operator: "all", groups: ["eu"], attributes: [{ name: "level", value: "2" }] },
    automaticSubscription: true,
  },
  { type: "entitlements", advanced: "@hasTagAsGroup('dataSource') OR @isInGroups('admins')" },
];

/** Policies of every kind the simulator evaluates, for checks that do not involve the server. */
export function richPolicies(rng: Random): PolicyPayload[] {
  return Array.from({ length: 2 + rng.int(8) }, (_, n) => {
    const base = policyPayload(rng, n);
    return base.type === "subscription"
      ? { ...base, actions: rng.pick(ACTIONS) }
      : {
          ...base,
          actions: [{ rules: Array.from({ length: 1 + rng.int(3) }, () => ruleFor(rng)) }],
        };
  });
}

/** A user with some of the groups, attributes and purposes the rich policies name. */
export function randomUser(rng: Random): SimulatedUser {
  return {
    groups: rng.some([...GROUPS, ...TAGS], 3),
    attributes: rng.chance(0.5) ? { level: rng.pick(["1", "2"]) } : {},
    purposes: rng.some(["Research", "Fraud.Cards", "Marketing"], 2),
  };
}

export interface GeneratedTenant {
  readonly dataSources: DataSourcePayload[];
  readonly policies: PolicyPayload[];
}

export function generateTenant(rng: Random, catalog: AccessCatalog): GeneratedTenant {
  const hosts = Array.from({ length: HOSTS }, (_, i) => i).filter(() => rng.chance(0.5));
  if (hosts.length === 0) hosts.push(rng.int(HOSTS));
  return {
    dataSources: hosts.map((i) => connectionPayload(rng, catalog, i)),
    policies: Array.from({ length: 1 + rng.int(6) }, (_, n) => policyPayload(rng, n)),
  };
}
