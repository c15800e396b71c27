/**
 * One client per tenant of a stack, from the connection flags its provisioners carry (`--url`,
 * `--api-key-env`, `--auth-header`, ...). Flags given to `plan`/`drift` themselves are defaults
 * for what the stack leaves to the environment.
 */
import type { ImmutaClient } from "../client/client";
import { createClient, readConnection, type ConnectionValues } from "../cli/connection";
import type { Io } from "../cli/io";

export class Tenants {
  private readonly clients = new Map<string, ImmutaClient>();

  constructor(
    private readonly defaults: ConnectionValues,
    private readonly io: Io,
    private readonly secrets: { add(...values: string[]): void },
    private readonly verbose: boolean,
  ) {}

  /** The client for an object or prune whose provisioner has these flags. */
  client(flags: Readonly<Record<string, string>>): ImmutaClient {
    const values: ConnectionValues = {
      ...this.defaults,
      ...pick(flags, ["url", "api-key-env", "auth-header", "timeout", "retries", "retry-delay"]),
    };
    const id = JSON.stringify(values);
    let client = this.clients.get(id);
    if (!client) {
      const connection = readConnection(values, this.io.env);
      this.secrets.add(connection.apiKey);
      client = createClient(connection, this.io, this.verbose);
      this.clients.set(id, client);
    }
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
  }
}

function pick(
  flags: Readonly<Record<string, string>>,
  names: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) if (flags[name] !== undefined) out[name] = flags[name];
  return out;
}
