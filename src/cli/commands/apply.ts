/**
 * `immuta-v2 apply`: POSTs one object's payload, the step a Terraform provisioner runs for each
 * changed object. It imports only what it needs (no validator: synth has validated and the server
 * validates again), because every changed object in a deploy pays its start-up time.
 */
import { ImmutaClient, type ClientOptions } from "../../client/client";
import { NoEndpointError, PayloadFileError, UsageError } from "../../errors";
import { KEY_FIELD, KIND_LABEL, detectKind, type Kind } from "../../payload/kinds";
import { resolveSecrets } from "../../payload/secrets";
import type { AnyQuery, PayloadByKind } from "../../payload/types";
import { parse, integerFlag } from "../args";
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

${CONNECTION_HELP}
Exit codes:
  0  applied (or, with --dry-run, computed)
  1  the operation failed: the server refused the payload or failed, the server could not be
     reached, or the payload file is unreadable or is not the --kind/--key given
  2  usage error: a flag, the URL, the API key, or a $env secret variable is missing or wrong
`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  kind: { type: "string" },
  file: { type: "string" },
  "payload-env": { type: "string" },
  key: { type: "string" },
  "dry-run": { type: "boolean" },
  wait: { type: "string" },
  "re-certify": { type: "boolean" },
  "re-acknowledge-required": { type: "boolean" },
  "delete-data-sources-on-workspace-delete": { type: "boolean" },
  json: { type: "boolean" },
  verbose: { type: "boolean" },
} as const;

/** Flags that only one kind's endpoint takes, and the query parameter each becomes. */
const KIND_FLAGS = {
  wait: { kind: "data", query: "wait" },
  "re-certify": { kind: "policy", query: "reCertify" },
  "re-acknowledge-required": { kind: "purpose", query: "reAcknowledgeRequired" },
  "delete-data-sources-on-workspace-delete": {
    kind: "project",
    query: "deleteDataSourcesOnWorkspaceDelete",
  },
} as const satisfies Record<string, { kind: Kind; query: keyof AnyQuery }>;

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
  const query: Record<string, boolean | number> = { dryRun: values["dry-run"] === true };
  for (const [flag, { kind: only, query: parameter }] of Object.entries(KIND_FLAGS)) {
    const given = values[flag as keyof typeof KIND_FLAGS];
    if (given === undefined || given === false) continue;
    if (only !== kind) {
      throw new UsageError(`--${flag} applies to --kind ${only} only (this is --kind ${kind})`);
    }
    query[parameter] = flag === "wait" ? (integerFlag("wait", given as string) as number) : true;
  }
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
    const response = await client.apply(
      kind,
      resolved.payload as unknown as PayloadByKind[typeof kind],
      query,
    );
    progress?.stop();
    if (values.json) {
      io.stdout.write(`${JSON.stringify(response, null, 2)}\n`);
    } else {
      const c = colors(io.stdout, io.env);
      const line = applyOutcome(kind, key, response, query.dryRun === true);
      io.stdout.write(`${/: no change/.test(line) ? c.dim(line) : line}\n`);
    }
    return EXIT.ok;
  } finally {
    progress?.stop();
    await Promise.all([client.close(), reader?.close()]);
  }
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
