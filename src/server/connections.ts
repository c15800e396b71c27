/**
 * Open connections, capped, so that a crowd of slow or idle clients cannot take every file
 * descriptor the server has. A new connection past the cap sheds, in this order: the connection
 * idle longest that never carried an admitted request (a client that sends nothing, or only
 * requests refused unread); else the one whose admitted body has been arriving longest; else the
 * kept-alive connection of an authenticated client idle longest. A connection whose request is
 * being served is never shed; when every connection is, the new one is refused. Strangers and
 * slow clients are thus shed first, while authenticated requests keep being served.
 */
import type { Socket } from "node:net";

interface Tracked {
  readonly socket: Socket;
  /** Admitted requests whose body is still arriving. */
  receiving: number;
  /** Requests whose body is in, not yet answered. */
  serving: number;
  /** Whether a request on it was admitted (an authenticated client's kept-alive connection). */
  trusted: boolean;
  closed: boolean;
}

export class ConnectionGuard {
  /** Connections that never carried an admitted request, longest idle first. */
  private readonly idle = new Set<Tracked>();
  /** Connections receiving an admitted request's body (and serving none), longest first. */
  private readonly receiving = new Set<Tracked>();
  /** Idle connections that carried an admitted request, longest idle first. */
  private readonly resting = new Set<Tracked>();
  private readonly tracked = new WeakMap<object, Tracked>();
  private open = 0;

  constructor(private readonly max: number) {}

  /** A new connection: kept (shedding another at the cap) or refused. */
  connect(socket: Socket): void {
    if (this.open >= this.max) {
      const victim = first(this.idle) ?? first(this.receiving) ?? first(this.resting);
      if (!victim) {
        socket.destroy();
        return;
      }
      this.forget(victim);
      victim.socket.destroy();
    }
    const entry: Tracked = { socket, receiving: 0, serving: 0, trusted: false, closed: false };
    this.tracked.set(socket, entry);
    this.open++;
    this.idle.add(entry);
    socket.once("close", () => this.forget(entry));
  }

  /** The TLS socket that wraps a connection's socket: its requests count for that connection. */
  alias(wrapper: object, socket: Socket): void {
    const entry = this.tracked.get(socket);
    if (entry) this.tracked.set(wrapper, entry);
  }

  /** A request on the connection was admitted; its body is now read. */
  admitted(socket: object): void {
    this.update(socket, (entry) => {
      entry.receiving++;
      entry.trusted = true;
    });
  }

  /** The admitted request's body is in; it is being served. */
  received(socket: object): void {
    this.update(socket, (entry) => {
      entry.receiving--;
      entry.serving++;
    });
  }

  /** The request being served was answered (or its connection closed). */
  answered(socket: object): void {
    this.update(socket, (entry) => entry.serving--);
  }

  /** How many connections are open (for tests and figures). */
  get size(): number {
    return this.open;
  }

  private update(socket: object, change: (entry: Tracked) => void): void {
    const entry = this.tracked.get(socket);
    if (!entry || entry.closed) return;
    this.idle.delete(entry);
    this.receiving.delete(entry);
    this.resting.delete(entry);
    change(entry);
    if (entry.serving > 0) return;
    // Re-added at the end: the order of each set is the order connections entered that state.
    (entry.receiving > 0 ? this.receiving : entry.trusted ? this.resting : this.idle).add(entry);
  }

  private forget(entry: Tracked): void {
    if (entry.closed) return;
    entry.closed = true;
    this.open--;
    this.idle.delete(entry);
    this.receiving.delete(entry);
    this.resting.delete(entry);
  }
}

function first<T>(set: ReadonlySet<T>): T | undefined {
  for (const item of set) return item;
  return undefined;
}
