/**
 * `immuta-v2 apply`: POSTs one object's payload, the step a Terraform provisioner runs for each
 * changed object. It imports only what it needs (no validator: synth has validated and the server
 * validates again), because every changed object in a deploy pays its start-up time.
 */
import { ImmutaClient, type ClientOptions } from "../../client/client";
import { ApiError, NoEndpointError, PayloadFileError, UsageError } from "../../errors";
import { KEY_FIELD, KIND_LABEL, detectKind, type Kind } from "../../payload/kinds";
import { resolveSecrets } from "../../payload/secrets";
import type { DataResponse, PayloadByKind } from "../../payload/types";
import { NAME_TAKEN, SAME_CONNECTION } from "../refusals";
import { QUERY_OPTIONS, applyQuery } from "../apply-query";
import { parse } from "../args";
import type { Command } from "../command";
import {
  CONNECTION_HELP,
  CONNECTION_OPTIONS,
  createClient,
  readConnection,
  type Connection,
} from "../connection";
import { EXIT, colors, type Io } from "../io";
import { requireKind } from "../kind-flag";
import { readPayload } from "../payload-input";
import { applyOutcome, subject } from "../outcome";
import type { Readiness } from "../progress";
import { runSafely, type Secrets } from "../redaction";
import { LABEL_OPTION } from "../step-input";

const help = `Usage: immuta-v2 apply --kind KIND (--file FILE | --payload-env NAME) [options]

POSTs one object's complete desired state to the V2 API (the same call creates and updates),
and prints one line saying what Immuta did: created, updated, deleted, disabled or unchanged.

Payload:
  --kind data|policy|project|purpose   the object's kind (required)
  --file FILE            a JSON or YAML (.yaml, .yml) file holding one payload
  --payload-env NAME     the payload as JSON in the environment variable NAME, or, when NAME
                         is unset, split over NAME_0, NAME_1, ... (joined in order)
  --key KEY              fail unless the payload's key field (connectionKey, policyKey,
                         projectKey, or a purpose's name) is KEY
  Every { "$env": "VAR" } in the payload is replaced with the value of the environment
  variable VAR just before sending; secrets are never printed.

Options:
  --dry-run              ask what would change, change nothing
  --wait SECONDS         data: wait up to SECONDS for new data sources to be ready
                         (--wait=-1 waits indefinitely); progress is printed every few seconds
  --re-certify           policy: ask for re-certification of the changed policy
  --re-acknowledge-required
                         purpose: make users acknowledge the changed purpose again
  --delete-data-sources-on-workspace-delete
                         project: delete the workspace's data sources when its workspace goes
  --json                 print the server's answer as JSON instead of the summary line
  --verbose              log each request and answer to stderr (secrets redacted)

Set by a stack's apply steps:
  --planned-at TIME      when the plan that created this object's instance was made; the POST
                         waits until that second is over (see immuta-v2 confirm --help)
  --tenant PREFIX        data: the tenant's resource name prefix in the stack. When Immuta
                         refuses the connection as already defined under another key, a key
                         this stack managed and no longer declares for the same connection is
                         deleted first (a renamed connectionKey), and the POST made again
  --label TEXT           ignored: what Terraform shows as the command

${CONNECTION_HELP}
Exit codes:
  0  applied (or, with --dry-run, computed); also when --wait ran out while data sources were
     still being created: Immuta has the desired state and goes on creating them, and a warning
     on stderr names how many
  1  the operation failed: the server refused the payload or failed, the server could not be
     reached, or the payload file is unreadable or is not the --kind/--key given
  2  usage error: a flag, the URL, the API key, or a $env secret variable is missing or wrong
`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  ...QUERY_OPTIONS,
  ...LABEL_OPTION,
  kind: { type: "string" },
  file: { type: "string" },
  "payload-env": { type: "string" },
  key: { type: "string" },
  "planned-at": { type: "string" },
  tenant: { type: "string" },
  json: { type: "boolean" },
  verbose: { type: "boolean" },
} as const;

export interface ApplyCommandOptions {
  /** How often progress is printed while waiting. @default 5000 */
  readonly progressIntervalMs?: number;
  /** Extra client options (tests: a MockAgent dispatcher). */
  readonly client?: Partial<ClientOptions>;
}

/** `immuta-v2 apply`, with knobs for tests. */
export function applyCommand(options: ApplyCommandOptions = {}): Command {
  return {
    help,
    run: (args, io) => runSafely(io, (out, secrets) => apply(args, out, secrets, options)),
  };
}

export const command: Command = applyCommand();

async function apply(
  args: string[],
  io: Io,
  secrets: Secrets,
  options: ApplyCommandOptions,
): Promise<number> {
  const { values } = parse("apply", args, OPTIONS);
  const kind = requireKind(values.kind);
  const query = applyQuery(kind, values);
  const connection = readConnection(values, io.env);
  secrets.add(connection.apiKey);

  const input = readPayload(values, io.env, io.cwd);
  const key = checkKey(kind, input.payload, input.source, values.key);
  const resolved = resolveSecrets(input.payload, io.env);
  secrets.add(...resolved.secretValues);

  const client = createClient(connection, io, values.verbose === true, options.client);
  const waits = typeof query.wait === "number" && query.wait !== 0 && !query.dryRun;
  const reader = waits ? readinessPoller(connection, key, options.client) : undefined;
  // Progress is required only when there is something to wait for.
  const progress = reader
    ? (require("../progress") as typeof import("../progress")).startProgress({
        io,
        subject: subject(kind, key),
        intervalMs: options.progressIntervalMs,
        poll: reader.poll,
      })
    : undefined;
  try {
    if (!query.dryRun) await waitPastPlanSecond(values["planned-at"]);
    const send = () =>
      client.apply(kind, resolved.payload as unknown as PayloadByKind[typeof kind], query, {
        secretPaths: resolved.secretPaths,
      });
    let response: Awaited<ReturnType<typeof send>>;
    try {
      response = await send();
    } catch (error) {
      if (kind !== "data" || !values.tenant || query.dryRun || !isSameConnectionRefusal(error)) {
        throw error;
      }
      const { retireRenamedConnection } =
        require("../connection-rename") as typeof import("../connection-rename");
      const retirement = await retireRenamedConnection(
        values.tenant,
        key,
        resolved.payload,
        (error as ApiError).serverMessage,
        client,
        io,
        secrets,
      );
      if (retirement.retired.length === 0) throw error;
      response = await send();
      await retirement.restoreProjects();
    }
    progress?.stop();
    if (values.json) {
      io.stdout.write(`${JSON.stringify(response, null, 2)}\n`);
    } else {
      const c = colors(io.stdout, io.env);
      const line = applyOutcome(kind, key, response, query.dryRun === true);
      io.stdout.write(`${/: no change/.test(line) ? c.dim(line) : line}\n`);
    }
    const pending = kind === "data" && !query.dryRun ? (response as DataResponse).pending : [];
    if (pending?.length) {
      io.stderr.write(
        `warning: ${subject(kind, key)}: ${pending.length} data source` +
          `${pending.length === 1 ? " was" : "s were"} still being created when --wait ` +
          `(${query.wait} s) ran out; Immuta goes on creating ${pending.length === 1 ? "it" : "them"}` +
          ` (immuta-v2 get shows their status on the embedded server)\n`,
      );
    }
    return EXIT.ok;
  } finally {
    progress?.stop();
    await Promise.all([client.close(), reader?.close()]);
  }
}

/**
 * Immuta's refusal of a connection that a connection this stack is about to delete stands in the
 * way of: a second connectionKey for one connection (a renamed key), or data source names the
 * leaving one holds.
 */
function isSameConnectionRefusal(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status === 400 &&
    (SAME_CONNECTION.test(error.serverMessage) || NAME_TAKEN.test(error.serverMessage))
  );
}

/**
 * Waits until the second of `--planned-at` (the plan that created this object's instance) has
 * passed. The confirm step tells the objects this deploy created from those an earlier, killed
 * deploy created but may never have sent by that timestamp, which has a resolution of a second;
 * a plan after a POST has begun is thus always of a later second.
 */
async function waitPastPlanSecond(plannedAt: string | undefined): Promise<void> {
  if (plannedAt === undefined) return;
  const planned = Date.parse(plannedAt);
  if (Number.isNaN(planned)) {
    throw new UsageError(`--planned-at must be a timestamp (got "${plannedAt}")`);
  }
  const wait = planned + 1000 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1000)));
}

/** The payload's key, checked against --kind and --key so that a mix-up fails before sending. */
function checkKey(
  kind: Kind,
  payload: Record<string, unknown>,
  source: string,
  expected: string | undefined,
): string {
  const field = KEY_FIELD[kind];
  // A purpose is known only by `name`, which other kinds have too: judge by the stronger keys.
  const detected = detectKind(payload);
  if (detected !== undefined && detected !== kind && detected !== "purpose") {
    throw new PayloadFileError(
      `${source}: this looks like a ${KIND_LABEL[detected]} payload (it has ${KEY_FIELD[detected]}), ` +
        `not a ${KIND_LABEL[kind]} as --kind ${kind} says`,
    );
  }
  const key = payload[field];
  if (typeof key !== "string" || key === "") {
    throw new PayloadFileError(
      `${source}: a ${KIND_LABEL[kind]} payload needs ${field}, its key (a non-empty string)`,
    );
  }
  if (expected !== undefined && key !== expected) {
    throw new PayloadFileError(
      `${source}: ${field} is "${key}" but --key says "${expected}"; the payload is not for the ` +
        `object this command was written for`,
    );
  }
  return key;
}

/**
 * Readiness from the server's read endpoint, through a separate client that never retries and
 * gives up fast: progress is a courtesy and must not hold the process after the POST is done.
 */
function readinessPoller(connection: Connection, key: string, extra: Partial<ClientOptions> = {}) {
  const reader = new ImmutaClient({ ...connection, retries: 0, timeoutMs: 5000, ...extra });
  return {
    poll: async (): Promise<Readiness | undefined | false> => {
      try {
        const { readiness } = require("../progress") as typeof import("../progress");
        return readiness(await reader.get("data", key));
      } catch (error) {
        if (error instanceof NoEndpointError) return false;
        throw error;
      }
    },
    close: () => reader.close(),
  };
}
