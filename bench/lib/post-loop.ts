/**
 * The client of the throughput scenarios: sequential POSTs over one keep-alive connection
 * (undici's `request` with a one-connection Agent), the same client for every server measured.
 */
import { Agent, request } from "undici";

export interface Post {
  readonly path: string;
  readonly body: string;
}

export class PostClient {
  private readonly agent = new Agent({ connections: 1, pipelining: 1 });

  constructor(
    private readonly origin: string,
    private readonly apiKey: string,
  ) {}

  /** Sends the posts one after another; milliseconds for all of them. Fails on any non-2xx. */
  async send(posts: readonly Post[]): Promise<number> {
    const start = performance.now();
    for (const { path, body } of posts) {
      const response = await request(`${this.origin}${path}`, {
        method: "POST",
        dispatcher: this.agent,
        headers: { "content-type": "application/json", authorization: `Bearer ${this.apiKey}` },
        body,
      });
      const text = await response.body.text();
      if (response.statusCode >= 300) {
        throw new Error(`POST ${path}: ${response.statusCode} ${text.slice(0, 500)}`);
      }
    }
    return performance.now() - start;
  }

  /** One DELETE; milliseconds. Fails on any non-2xx. */
  async delete(path: string): Promise<number> {
    const start = performance.now();
    const response = await request(`${this.origin}${path}`, {
      method: "DELETE",
      dispatcher: this.agent,
      headers: { authorization: `Bearer ${this.apiKey}` },
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) {
      throw new Error(`DELETE ${path}: ${response.statusCode} ${text.slice(0, 500)}`);
    }
    return performance.now() - start;
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/**
 * `count` small purpose POSTs, each one a real change (an update of one of the purposes named
 * `names`, with a new description), so every POST makes the server store something.
 */
export function purposeUpdates(count: number, names: readonly string[], round: number): Post[] {
  return Array.from({ length: count }, (_, i) => ({
    path: "/api/v2/purpose",
    body: JSON.stringify({
      name: names[i % names.length],
      description: `Update ${i} of round ${round}`,
      acknowledgement: "I will use this data only for the stated purpose.",
    }),
  }));
}
