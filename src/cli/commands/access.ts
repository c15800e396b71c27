/**
 * `immuta-v2 access`: who can see what, for one user, from a synthesized stack (simulated here,
 * offline) or from a running embedded server (`POST /api/v2/simulate`, ours). Both give the
 * access simulator's report: printed as a table, one line per data source, or as JSON.
 */
import { resolve } from "node:path";
import type { AccessReport, DataSourceAccess, RowFilter, SimulatedUser } from "../../access/types";
import { ApiError, NetworkError, UsageError, type RequestSubject } from "../../errors";
import type { RetryPolicy } from "../../client/retry";
import { send } from "../../client/send";
import { serverMessage } from "../../client/server-message";
import { NodeHttpTransport } from "../../client/transport";
import type { SimulateRequest } from "../../server/simulate";
import { loadCatalogFile } from "../../testing/catalog-file";
import { columnState, describeUser } from "../../testing/describe";
import { objectsOfDirectory } from "../../testing/read-directory";
import { compileObjects } from "../../testing/simulation";
import type { UnsimulatedObject } from "../../testing/stack-objects";
import { parse } from "../args";
import type { Command } from "../command";
import {
  CONNECTION_HELP,
  CONNECTION_OPTIONS,
  readConnection,
  type Connection,
} from "../connection";
import { colors, EXIT, type Io } from "../io";
import { runSafely } from "../redaction";

/** Kept in step with `SIMULATE_PATH` in src/server/simulate.ts (not imported: it loads the server). */
const SIMULATE_PATH = "/api/v2/simulate";

const help = `Usage: immuta-v2 access (--stack-dir DIR | --url URL) [options]

Answers who can see what, for one user: per data source, whether they may subscribe and why,
which columns they see masked, and which row filters and purpose restrictions apply, each
answer naming the policy and rule behind it. Nothing is deployed and nothing changes.

Where the governance comes from (one of):
  --stack-dir DIR         a synthesized stack (cdktf.out/stacks/NAME), simulated here, offline
  --url URL               a running embedded server (immuta-v2 serve), asked with
                          POST ${SIMULATE_PATH}: the embedded server's own endpoint, which
                          Immuta's tenants do not have (default: $IMMUTA_URL)

The user:
  --groups A,B            the groups the user is in (comma-separated; repeatable)
  --attributes K=V,...    the user's attributes; a name given twice has both values
                          (department=Sales,department=Ops; repeatable)
  --purposes P,...        the purposes the user acts under, sub-purposes by full name
                          (Research.Fraud; repeatable)
  --project KEY           the project the user acts under (its projectKey or name): its purposes
                          apply, and only its data sources are visible

What to answer:
  --data-source NAME      only this data source (repeatable), with each column and why
  --assume-approved       count subscriptions needing an approval or an owner as granted
  --explain               also the policies that do not apply, and the masking rules that do not
                          target each column, each with why
  --json                  the report as JSON (the shape POST ${SIMULATE_PATH} answers)

With --stack-dir:
  --catalog FILE          the tables and columns each connection sees (YAML or JSON, the format of
                          immuta-v2 serve --catalog); needed for connections that take every table,
                          and for the columns no column tag names
  --tenant PREFIX         the tenant, when the stack has several ImmutaProviders
  --caller USER           the user the stack deploys as (Immuta makes it an owner of every data
                          source, which ownerRestrictions can match)
  --skip-unresolved       leave out objects holding values known only at apply time (listed on
                          stderr) instead of failing

${CONNECTION_HELP}
POST ${SIMULATE_PATH} [ours] takes { "user": { "groups", "attributes", "purposes", "project" },
"dataSources"?, "detail"?: "summary"|"full", "assumeApproved"? } and answers the report --json
prints; it needs the GOVERNANCE permission.

Exit codes:
  0  answered
  1  error: an unreadable stack or catalog, an object known only at apply time, an unknown project
     or data source, a server error, or the server could not be reached
  2  usage error: a flag is missing or wrong
`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  "stack-dir": { type: "string" },
  groups: { type: "string", multiple: true },
  attributes: { type: "string", multiple: true },
  purposes: { type: "string", multiple: true },
  project: { type: "string" },
  "data-source": { type: "string", multiple: true },
  "assume-approved": { type: "boolean" },
  explain: { type: "boolean" },
  json: { type: "boolean" },
  catalog: { type: "string" },
  tenant: { type: "string" },
  caller: { type: "string" },
  "skip-unresolved": { type: "boolean" },
} as const;

const STACK_ONLY = ["catalog", "tenant", "caller", "skip-unresolved"] as const;

/** What either source answers, with what the stack reader left out. */
type Answer = AccessReport & { readonly skipped?: readonly UnsimulatedObject[] };

export const command: Command = {
  help,
  run: (args, io) =>
    runSafely(io, async (out, secrets) => {
      const { values } = parse("access", args, OPTIONS);
      const stackDir = values["stack-dir"];
      if (stackDir !== undefined && values.url !== undefined) {
        throw new UsageError("give --stack-dir or --url, not both");
      }
      const request: SimulateRequest = {
        user: userOf(values),
        ...(values["data-source"] ? { dataSources: values["data-source"] } : {}),
        ...(values.explain ? { detail: "full" as const } : {}),
        ...(values["assume-approved"] ? { assumeApproved: true } : {}),
      };
      let answer: Answer;
      if (stackDir !== undefined) {
        if (stackDir === "") throw new UsageError("--stack-dir needs a directory");
        answer = fromStack(resolve(out.cwd, stackDir), values, request, out.cwd);
      } else {
        const misplaced = STACK_ONLY.filter((flag) => values[flag] !== undefined);
        if (misplaced.length > 0) {
          throw new UsageError(
            `--${misplaced[0]} reads a synthesized stack: it goes with --stack-dir, not --url`,
          );
        }
        if (values.url === undefined && !out.env.IMMUTA_URL) {
          throw new UsageError(
            "no governance to simulate: give --stack-dir DIR (a synthesized stack) or --url URL " +
              "(a running embedded server)",
          );
        }
        const connection = readConnection(values, out.env);
        secrets.add(connection.apiKey);
        answer = await fromServer(connection, request);
      }
      if (values.json) out.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
      else render(answer, values["data-source"] !== undefined, out);
      return EXIT.ok;
    }),
};

function fromStack(
  stackDir: string,
  values: { catalog?: string; tenant?: string; caller?: string; "skip-unresolved"?: boolean },
  request: SimulateRequest,
  cwd: string,
): Answer {
  const catalog = values.catalog ? loadCatalogFile(resolve(cwd, values.catalog)) : undefined;
  const objects = objectsOfDirectory(stackDir);
  // Which tenant is a question of the command line here: a usage error, not a failure.
  const tenants = [...new Set(objects.map((o) => o.tenant))].sort();
  if (values.tenant !== undefined ? !tenants.includes(values.tenant) : tenants.length > 1) {
    throw new UsageError(
      `${values.tenant === undefined ? "--tenant is required: " : `--tenant ${values.tenant}: not a tenant of `}` +
        `the stack, which has ${tenants.join(", ") || "none"} (a tenant is an ImmutaProvider, named by its id)`,
    );
  }
  const stack = compileObjects(
    objects,
    {
      tenant: values.tenant,
      caller: values.caller,
      unresolved: values["skip-unresolved"] ? "skip" : "error",
    },
    catalog,
    `access simulation of ${stackDir}`,
    "--tenant",
  );
  const { user, ...options } = request;
  const simulation = stack.simulate(user, options);
  return {
    user: simulation.user,
    dataSources: simulation.dataSources,
    warnings: simulation.warnings,
    ...(simulation.skipped.length > 0 ? { skipped: simulation.skipped } : {}),
  };
}

/**
 * POSTs the request. The V2 client has no call for an endpoint of ours, so this sends through the
 * client's transport and retry policy directly, and fails with the client's errors.
 */
async function fromServer(connection: Connection, request: SimulateRequest): Promise<Answer> {
  const base = new URL(connection.url);
  const path = `${base.pathname.replace(/\/+$/, "")}${SIMULATE_PATH}`;
  const subject: RequestSubject = { method: "POST", path };
  const transport = new NodeHttpTransport({
    origin: base.origin,
    headersTimeoutMs: connection.timeoutMs,
    bodyTimeoutMs: connection.timeoutMs,
  });
  const policy: RetryPolicy = {
    retries: connection.retries,
    baseDelayMs: connection.retryDelayMs,
    maxDelayMs: 30_000,
    maxRetryAfterMs: connection.maxRetryAfterMs,
  };
  let answer;
  try {
    answer = await send(
      transport,
      {
        origin: base.origin,
        path,
        method: "POST",
        headers: {
          authorization:
            connection.authHeader === "raw" ? connection.apiKey : `Bearer ${connection.apiKey}`,
          accept: "application/json",
          "content-type": "application/json",
          "user-agent": "cdktf-immuta",
        },
        body: JSON.stringify(request),
        headersTimeout: connection.timeoutMs,
        bodyTimeout: connection.timeoutMs,
      },
      policy,
    );
  } catch (error) {
    const { describeFailure } =
      require("../../client/failure") as typeof import("../../client/failure");
    const { reason, code } = describeFailure(error, base.origin, connection.timeoutMs);
    throw new NetworkError(subject, reason, code, 1);
  } finally {
    await transport.close();
  }
  if (answer.status === 404 || answer.status === 405) {
    throw new ApiError(
      subject,
      answer.status,
      `${serverMessage(answer.body)}; POST ${SIMULATE_PATH} is the embedded server's own ` +
        `endpoint (immuta-v2 serve), which Immuta's tenants do not have: simulate a synthesized ` +
        `stack with --stack-dir instead`,
    );
  }
  if (answer.status < 200 || answer.status > 299) {
    throw new ApiError(subject, answer.status, serverMessage(answer.body), answer.statusText);
  }
  let report: Answer;
  try {
    report = JSON.parse(answer.body) as Answer;
  } catch {
    report = undefined as unknown as Answer;
  }
  if (!report || !Array.isArray(report.dataSources) || !report.user) {
    throw new ApiError(subject, answer.status, "the answer is not an access report");
  }
  return report;
}

/** The user from the flags: lists split at commas, attributes as NAME=VALUE. */
function userOf(values: {
  groups?: string[];
  attributes?: string[];
  purposes?: string[];
  project?: string;
}): SimulatedUser {
  const list = (flag: string, given: string[] | undefined) => {
    const items = (given ?? []).flatMap((v) => v.split(",")).map((v) => v.trim());
    if (items.some((v) => v === "")) {
      throw new UsageError(`--${flag}: an empty name in "${given!.join(",")}"`);
    }
    return items;
  };
  const attributes: Record<string, string[]> = {};
  for (const item of list("attributes", values.attributes)) {
    const eq = item.indexOf("=");
    if (eq <= 0) {
      throw new UsageError(`--attributes: "${item}" is not NAME=VALUE (department=Sales)`);
    }
    (attributes[item.slice(0, eq).trim()] ??= []).push(item.slice(eq + 1).trim());
  }
  if (values.project === "") throw new UsageError("--project needs a projectKey or project name");
  return {
    groups: list("groups", values.groups),
    attributes,
    purposes: list("purposes", values.purposes),
    ...(values.project !== undefined ? { project: values.project } : {}),
  };
}

// ------------------------------------------------------------------------------------ output

function render(answer: Answer, columns: boolean, io: Io): void {
  const c = colors(io.stdout, io.env);
  const rows = answer.dataSources.map((d) => [
    d.name,
    d.visible ? c.green("yes") : c.red("no"),
    d.subscription.access,
    columnsCell(d, c),
    filtersCell(d) || c.dim("-"),
    d.why.replace(/^(not )?visible: /, ""),
  ]);
  const header = ["DATA SOURCE", "VISIBLE", "SUBSCRIPTION", "COLUMNS", "ROW FILTERS", "WHY"];
  const out: string[] = [`Access of ${describeUser(answer.user)}`];
  // The membership answer names its project: "project fraud-analysis: anyone may ask; ..."
  if (answer.user.project) out.push(`Joining ${answer.user.project.membership.why}`);
  out.push("");
  if (rows.length === 0) out.push("No data sources.");
  else out.push(...table([header.map(c.bold), ...rows]));
  if (columns) {
    for (const d of answer.dataSources) out.push("", ...columnLines(d, c));
  }
  io.stdout.write(`${out.join("\n")}\n`);
  for (const s of answer.skipped ?? []) {
    io.stderr.write(`immuta-v2: not simulated: ${s.kind} "${s.key}" (${s.where}): ${s.why}\n`);
  }
  for (const w of answer.warnings) io.stderr.write(`immuta-v2: warning: ${w.path}: ${w.message}\n`);
}

type Paint = ReturnType<typeof colors>;

/** `clear`, `hidden`, or the masked columns: `masked: email (Hash), name (Null)`. */
function columnsCell(d: DataSourceAccess, c: Paint): string {
  if (!d.visible) return c.red("hidden");
  const masked = d.columns.filter((col) => col.state === "masked");
  if (masked.length === 0) return d.columns.length === 0 ? c.dim("-") : "clear";
  return c.yellow(
    `masked: ${masked.map((col) => `${col.column} (${col.masking?.type ?? "?"})`).join(", ")}`,
  );
}

function filtersCell(d: DataSourceAccess): string {
  return [
    ...d.rowFilters.map(filterText),
    ...d.purposeRestrictions.map((p) => `purpose ${p.purposes.join(" or ")}`),
  ].join("; ");
}

function filterText(f: RowFilter): string {
  if (f.predicate !== undefined) return `where ${f.predicate}`;
  const config = f.config as { percent?: unknown; time?: unknown; unit?: unknown };
  switch (f.rule.type) {
    case "Minimization":
      return `${String(config.percent ?? "?")}% of rows`;
    case "Time Restriction":
      return `last ${String(config.time ?? "?")} ${String(config.unit ?? "")}`.trimEnd();
    case "Row Restriction By User Entitlements":
      return "rows matching your entitlements";
    default:
      return f.rule.type;
  }
}

/** One data source in detail: each column and why, and with --explain what does not apply. */
function columnLines(d: DataSourceAccess, c: Paint): string[] {
  const width = Math.max(0, ...d.columns.map((col) => col.column.length));
  const out = [c.bold(d.name)];
  if (d.columns.length === 0)
    out.push("  no columns known (pass --catalog to list a table's columns)");
  for (const col of d.columns) {
    const state = columnState(col);
    const painted =
      col.state === "clear" ? state : col.state === "masked" ? c.yellow(state) : c.red(state);
    out.push(`  ${col.column.padEnd(width)}  ${painted}: ${col.why}`);
    for (const miss of col.notTargeting ?? []) {
      out.push(
        c.dim(`  ${"".padEnd(width)}    ${miss.rule.policyKey} ${miss.rule.rule}: ${miss.why}`),
      );
    }
  }
  for (const f of d.rowFilters) out.push(`  rows: ${f.why}`);
  for (const p of d.purposeRestrictions) out.push(`  purpose: ${p.why}`);
  for (const e of d.excused) out.push(`  excused: ${e.why}`);
  for (const m of d.notApplied ?? []) {
    out.push(c.dim(`  does not apply: ${m.policyKey} (${m.type}): ${m.why}`));
  }
  return out;
}

/** Rows of cells in aligned columns; the last column is not padded. */
function table(rows: string[][]): string[] {
  // Widths by visible length: colour codes take no room on screen.
  const visible = (s: string) => s.replace(/\x1b\[\d+m/g, "").length;
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => visible(r[i]))));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell + " ".repeat(widths[i] - visible(cell))))
      .join("  ")
      .trimEnd(),
  );
}
