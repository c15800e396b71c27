/**
 * One client per tenant of a stack, from the connection settings its resources describe (`url`,
 * `apiKeyEnv`, `authHeader`, ...). Flags given to `plan`/`drift` themselves are defaults for what
 * the stack leaves to the environment.
 */
import type { ImmutaClient } from "../client/client";
import {
  DEFAULT_API_KEY_ENV,
  createClient,
  readConnection,
  type ConnectionValues,
} from "../cli/connection";
import type { Io } from "../cli/io";
import { connectionOptionValues, type ConnectionSettings } from "../layout/connection";

export class Tenants {
  private readonly clients = new Map<string, ImmutaClient>();

  constructor(
    private readonly defaults: ConnectionValues,
    private readonly io: Io,
    private readonly secrets: { add(...values: string[]): void },
    private readonly verbose: boolean,
  ) {}

  /** The client for a tenant with these settings. */
  client(settings: ConnectionSettings): ImmutaClient {
    const values: ConnectionValues = { ...this.defaults, ...connectionOptionValues(settings) };
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

  /** The environment variables the keys of the clients made so far were read from. */
  keyEnvs(): string[] {
    const names = [...this.clients.keys()].map(
      (id) => (JSON.parse(id) as ConnectionValues)["api-key-env"] ?? DEFAULT_API_KEY_ENV,
    );
    return [...new Set(names)].sort();
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
  }
}
