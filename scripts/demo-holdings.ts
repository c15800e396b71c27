/** What the embedded server holds, one line per object, read back through its GET endpoints. */
import { KINDS, KIND_LABEL, type Kind } from "../src/payload/kinds";

interface DataSourceView {
  name: string;
  status: string;
}

type Stored = Record<string, unknown> & {
  dataSources?: DataSourceView[];
  purposes?: string[];
  datasources?: string[];
  subpurposes?: { name: string }[];
  type?: string;
};

async function read<T>(url: string, apiKey: string): Promise<T> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return (await response.json()) as T;
}

function describe(kind: Kind, key: string, stored: Stored): string {
  const label = `${KIND_LABEL[kind]} "${key}"`;
  switch (kind) {
    case "purpose": {
      const subs = (stored.subpurposes ?? []).map((s) => s.name);
      return subs.length ? `${label}, sub-purposes: ${subs.join(", ")}` : label;
    }
    case "data": {
      const sources = stored.dataSources ?? [];
      const list = sources.map((s) => `${s.name} (${s.status})`).join(", ");
      return `${label}: ${sources.length} data source${sources.length === 1 ? "" : "s"}: ${list}`;
    }
    case "project":
      return (
        `${label}: purposes ${(stored.purposes ?? []).join(", ") || "none"}; ` +
        `data sources ${(stored.datasources ?? []).join(", ") || "none"}`
      );
    case "policy":
      return `${label} (${stored.type} policy)`;
  }
}

export async function describeHoldings(url: string, apiKey: string): Promise<string[]> {
  const lines: string[] = [];
  for (const kind of KINDS) {
    for (const key of await read<string[]>(`${url}/api/v2/${kind}`, apiKey)) {
      const stored = await read<Stored>(`${url}/api/v2/${kind}/${encodeURIComponent(key)}`, apiKey);
      lines.push(describe(kind, key, stored));
    }
  }
  return lines;
}
