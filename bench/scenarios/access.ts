/**
 * The access simulator (issue 17): one user over a tenant of 10,000 data sources and 50 global
 * policies, from payloads to the full report (compiling the tenant, then evaluating every data
 * source, column and rule), against the same over 5,000 data sources. The target is under 1 s for
 * 10,000; the ratio shows that the cost grows linearly. Runs in this process: no build needed.
 */
import { compileTenant, simulateAccess, type TenantInput } from "../../src/access";
import type { DataRule, DataSourcePayload, PolicyPayload, Source } from "../../src/payload/types";
import { progress } from "../lib/progress";
import { row, type Scenario } from "../lib/scenario";
import { median, since } from "../lib/stats";

const POLICIES = 50;
const TABLES_PER_CONNECTION = 1_000;
const COLUMNS = ["id", "email", "phone", "ssn", "name", "country", "amount", "created_at"];
const COLUMN_TAGS = [
  "PII.Email",
  "PII.Phone",
  "PII.SSN",
  "PII.Name",
  "Location.Country",
  "Finance.Amount",
];
const TABLE_TAGS = ["Finance", "Marketing", "HR", "Sales.EU", "Sales.US", "Public"];

/** A tenant of `sources` data sources over connections of 1,000 tables, half tagged per table. */
export function benchTenant(sources: number): TenantInput {
  const connections = Math.ceil(sources / TABLES_PER_CONNECTION);
  const catalog = {
    connections: [] as {
      hostname: string;
      database: string;
      schemas: Record<string, Record<string, string[]>>;
    }[],
  };
  const dataSources: DataSourcePayload[] = [];
  for (let c = 0; c < connections; c++) {
    const tables: Record<string, string[]> = {};
    for (let t = 0; t < TABLES_PER_CONNECTION; t++)
      tables[`t${String(t).padStart(4, "0")}`] = COLUMNS;
    const hostname = `warehouse-${c}.example.com`;
    catalog.connections.push({ hostname, database: "DW", schemas: { [`schema${c}`]: tables } });
    // Each connection lists half of its tables, each with its own table and column tags, mixed so
    // that no two are tagged alike, and takes the other half with `all` and the connection's tags
    // only. The simulator evaluates each distinct shape once, so the bench must not be all alike,
    // and both sizes are half distinct: twice the sources is twice the work.
    const listed: Source[] = Object.keys(tables)
      .slice(0, TABLES_PER_CONNECTION / 2)
      .map((table, t) => ({
        table,
        schema: `schema${c}`,
        tags: {
          table: [TABLE_TAGS[t % TABLE_TAGS.length], ...(t % 7 === 0 ? ["Reviewed"] : [])],
          columns: COLUMNS.slice(1, 6).map((columnName, k) => ({
            columnName,
            tags: [COLUMN_TAGS[Math.floor(t / 6 ** k) % COLUMN_TAGS.length]],
          })),
        },
      }));
    dataSources.push({
      connectionKey: `warehouse-${c}`,
      connection: { handler: "Trino", hostname, database: "DW" },
      options: { tableTags: [TABLE_TAGS[c % TABLE_TAGS.length]] },
      owners: [{ type: "group", name: "data-owners" }],
      sources: [...listed, { all: true }],
    });
  }
  return { dataSources, policies: benchPolicies(), catalog };
}

function circumstances(i: number): Pick<PolicyPayload, "circumstances" | "circumstanceOperator"> {
  switch (i % 5) {
    case 0:
      return {
        circumstances: [{ type: "tags", tag: TABLE_TAGS[i % TABLE_TAGS.length].split(".")[0] }],
      };
    case 1:
      return {
        circumstances: [
          { type: "columnTags", columnTag: "PII" },
          { type: "tags", tag: "Finance" },
        ],
        circumstanceOperator: "any",
      };
    case 2:
      return {
        circumstances: [
          { type: "columnRegex", regex: "^(ssn|email)$", caseInsensitive: true },
          { type: "columnTags", columnTag: COLUMN_TAGS[i % COLUMN_TAGS.length] },
        ],
        circumstanceOperator: "all",
      };
    case 3:
      return { circumstances: [{ type: "noTags" }, { type: "tags", tag: "Sales" }] };
    default:
      return {};
  }
}

function dataRule(i: number): DataRule {
  const exceptions = { operator: "any" as const, groups: ["admins"], purposes: ["Fraud"] };
  const tag = COLUMN_TAGS[i % COLUMN_TAGS.length];
  switch (i % 8) {
    case 0:
    case 1:
    case 2:
    case 3:
      return {
        type: "Masking",
        config: {
          // Half on a parent tag, half on a child: conflicts on the same column.
          fields: [{ type: "columnTags", columnTag: i % 2 === 0 ? tag.split(".")[0] : tag }],
          maskingConfig:
            i % 3 === 0 ? { type: "Hash" } : { type: "Constant", constant: "REDACTED" },
        },
        exceptions,
      };
    case 4:
      return {
        type: "Row Restriction by Custom Where Clause",
        config: { predicate: "country = @attributeValue('Country')" },
      };
    case 5:
      return { type: "Minimization", config: { percent: 25 }, exceptions };
    case 6:
      return { type: "Time Restriction", config: { time: 30, unit: "days" } };
    default:
      return { type: "Purpose Restriction", config: { purposes: ["Fraud", "Research"] } };
  }
}

export function benchPolicies(): PolicyPayload[] {
  const policies: PolicyPayload[] = [];
  for (let i = 0; i < POLICIES; i++) {
    const common = {
      policyKey: `policy-${String(i).padStart(2, "0")}`,
      name: `Policy ${i}`,
      ...circumstances(i),
      staged: i % 17 === 16,
    };
    if (i < 10) {
      const types = ["anyone", "approval", "entitlements", "entitlements", "manual"] as const;
      const type = types[i % types.length];
      policies.push({
        ...common,
        // Manual subscription on HR data only, not on every data source.
        ...(type === "manual" ? { circumstances: [{ type: "tags", tag: "HR" }] } : {}),
        type: "subscription",
        actions:
          type === "entitlements"
            ? {
                type,
                automaticSubscription: true,
                entitlements: {
                  operator: "any",
                  groups: ["analysts", "finance"],
                  attributes: [{ name: "Country", value: "US" }],
                },
              }
            : type === "approval"
              ? {
                  type,
                  approvals: [{ requiredPermission: "OWNER", specificApproverRequired: false }],
                }
              : { type },
      });
    } else {
      policies.push({
        ...common,
        type: "data",
        actions: [
          { rules: [dataRule(i), { ...dataRule(i + 1), inclusions: { groups: ["contractors"] } }] },
        ],
      });
    }
  }
  return policies;
}

const USER = { groups: ["analysts"], attributes: { Country: "US" }, purposes: ["Research"] };

export const access: Scenario = {
  name: "access",
  summary: "simulate one user over 10,000 data sources x 50 policies vs over 5,000",
  needsBuild: false,
  async run({ quick }) {
    const sizes: readonly number[] = [10_000, 5_000];
    const tenants = new Map(sizes.map((n) => [n, benchTenant(n)]));
    const times = { whole: new Map<number, number[]>(), evaluate: new Map<number, number[]>() };
    for (const n of sizes) [times.whole, times.evaluate].forEach((m) => m.set(n, []));
    let columns = 0;
    let shapes = 0;
    const cycle = (n: number, record: boolean) => {
      const start = performance.now();
      const tenant = compileTenant(tenants.get(n)!);
      const compiled = performance.now();
      const report = simulateAccess(tenant, USER);
      const end = performance.now();
      if (report.dataSources.length !== n)
        throw new Error(`expected ${n} data sources, got ${report.dataSources.length}`);
      if (n === 10_000) {
        columns = report.dataSources.reduce((sum, ds) => sum + ds.columns.length, 0);
        shapes = new Set(report.dataSources.map((ds) => ds.columns)).size;
      }
      if (record) {
        times.whole.get(n)!.push(end - start);
        times.evaluate.get(n)!.push(end - compiled);
      }
    };
    const warmup = performance.now();
    for (let i = 0; i < 2; i++) for (const n of sizes) cycle(n, false);
    progress(`access: warmed up in ${(since(warmup) / 1000).toFixed(1)} s`);
    const reps = quick ? 3 : 11;
    for (let i = 0; i < reps; i++) {
      for (const n of i % 2 === 0 ? sizes : [...sizes].reverse()) cycle(n, true);
      progress(
        `access: ${i + 1}/${reps} (${times.whole.get(10_000)!.at(-1)!.toFixed(0)} / ${times.whole.get(5_000)!.at(-1)!.toFixed(0)} ms)`,
      );
    }
    const whole = median(times.whole.get(10_000)!);
    const evaluate = median(times.evaluate.get(10_000)!);
    return [
      row(
        {
          scenario: "access",
          measure: "simulate 1 user: 10,000 data sources x 50 policies vs 5,000",
          unit: "ms",
          target: { max: 2.3 },
          requirement: { met: whole < 1_000, text: "10,000 under 1 s" },
          samples: { ours: times.whole.get(10_000)!, baseline: times.whole.get(5_000)! },
          notes: [
            `10,000 data sources (${shapes.toLocaleString("en-US")} distinct by tags and columns), ${columns.toLocaleString("en-US")} columns, ${POLICIES} policies: ${whole.toFixed(0)} ms from payloads (compiling the tenant ${(whole - evaluate).toFixed(0)} ms, evaluating ${evaluate.toFixed(0)} ms)`,
          ],
        },
        median,
      ),
    ];
  },
};
