// The Transport over nats.ws. Tuned so a frozen or restarted server is noticed
// within seconds (pings), reconnects forever with jitter, says when a node
// announces lame duck mode (a rolling restart), and always signs in with the
// freshest JWT (function authenticator). See docs/architecture.md, "Failover".
import { connect, Events, jwtAuthenticator, ErrorCode, type NatsConnection, type NatsError } from 'nats.ws';
import { inboxPrefix } from '../contract.js';
import { NoRespondersError, RequestTimeoutError, type InboundMessage, type Transport, type TransportOptions, type TransportStatus } from '../transport.js';

export const PING_INTERVAL_MS = 1250;

export async function connectNats(o: TransportOptions): Promise<NatsTransport> {
  const nc = await connect({
    servers: o.servers,
    authenticator: jwtAuthenticator(o.jwt),
    inboxPrefix: inboxPrefix(o.uid),
    name: o.name,
    timeout: 5000,
    // A frozen server (process stopped, socket open) is found by pings alone:
    // nats.ws drops the connection when a ping timer fires with maxPingOut
    // pings unanswered, i.e. 2-3 intervals after the freeze (2.5-3.75 s), and
    // moves to the next server in the list; the failover target is 5 s.
    // nats.ws's default (2 min, 2 out) took 24.7 s here. A ping is ~10 bytes
    // each way: 10,000 clients cost the server 8,000 tiny messages a second.
    pingInterval: PING_INTERVAL_MS,
    maxPingOut: 2,
    reconnect: true,
    maxReconnectAttempts: -1,
    // Per server: the first attempt after losing one is immediate (the next
    // server in the list), so a killed node costs one dial, not this wait.
    reconnectTimeWait: 500,
    reconnectJitter: 250,
    waitOnFirstConnect: false,
    // Our own messages to our own uid (other devices) must be seen; echo stays on.
    noEcho: false,
    // The session's list is the authority: nodes gossip the addresses they
    // listen on, which behind a proxy or in a container a browser cannot reach.
    ignoreClusterUpdates: true,
  });
  moveCurrentServerLast(nc);
  return new NatsTransport(nc);
}

/**
 * nats.ws 1.30 picks the server to reconnect to by rotating its list (take the
 * first, put it last), but the first connect takes the first without moving it: the first reconnect of a connection's life
 * goes back to the server just lost. For a killed node that costs one refused
 * dial; for a frozen one (the socket accepts, nothing answers) the whole
 * connect `timeout`: failover took 8.1 s instead of ~3 s in failover.test.ts.
 * Rotate once ourselves; should nats.ws's internals differ, this does nothing.
 */
function moveCurrentServerLast(nc: NatsConnection) {
  const servers = (nc as unknown as { protocol?: { servers?: { servers?: unknown[]; currentServer?: unknown } } }).protocol?.servers;
  const list = servers?.servers;
  if (!Array.isArray(list) || list.length < 2 || list[0] !== servers!.currentServer) return;
  list.push(list.shift());
}

export class NatsTransport implements Transport {
  private listeners = new Set<(s: TransportStatus) => void>();
  private connected = true;

  constructor(readonly nc: NatsConnection) {
    void this.watch();
    // On close nats.ws stops feeding its status iterators but never ends them,
    // so the loop in watch() does not finish: closed() is the signal.
    void this.nc.closed().then((err) => {
      this.connected = false;
      this.fire({ type: 'closed', ...(err ? { error: err } : {}) });
    });
  }

  private async watch() {
    for await (const s of this.nc.status()) {
      switch (s.type) {
        case Events.Disconnect:
          this.connected = false;
          this.fire({ type: 'disconnected' });
          break;
        case Events.Reconnect:
          this.connected = true;
          this.fire({ type: 'reconnected' });
          break;
        case Events.LDM:
          // The node is about to shut down (lame duck mode). The client moves
          // make-before-break (a new connection, then this one drained); if
          // nobody does, the node closes us after its grace period and nats.ws
          // reconnects elsewhere.
          this.fire({ type: 'moving' });
          break;
        case 'reconnecting':
          this.fire({ type: 'reconnecting' });
          break;
        case Events.Error: {
          const err = s.data as unknown as NatsError;
          const error = err instanceof Error ? err : new Error(String(s.data));
          const permission = (err as NatsError)?.code === ErrorCode.PermissionsViolation || /permission/i.test(String(error.message));
          this.fire({ type: 'error', error, permission });
          break;
        }
      }
    }
  }

  private fire(s: TransportStatus) {
    for (const l of [...this.listeners]) l(s);
  }

  publish(subject: string, data: Uint8Array) {
    this.nc.publish(subject, data);
  }

  async request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    try {
      const m = await this.nc.request(subject, data, { timeout: timeoutMs, noMux: false });
      return m.data;
    } catch (e) {
      const code = (e as NatsError).code;
      if (code === ErrorCode.NoResponders || code === '503') throw new NoRespondersError();
      if (code === ErrorCode.Timeout) throw new RequestTimeoutError();
      throw e;
    }
  }

  subscribe(subject: string, onMessage: (m: InboundMessage) => void) {
    const sub = this.nc.subscribe(subject, {
      callback: (err, m) => {
        if (!err) onMessage({ subject: m.subject, data: m.data, ...(m.reply ? { reply: m.reply } : {}) });
      },
    });
    return () => sub.unsubscribe();
  }

  onStatus(listener: (s: TransportStatus) => void) {
    this.listeners.add(listener);
    if (this.connected) queueMicrotask(() => this.listeners.has(listener) && listener({ type: 'connected' }));
    return () => this.listeners.delete(listener);
  }

  flush() {
    return this.nc.flush();
  }

  async ping(deadlineMs: number): Promise<boolean> {
    if (!this.connected || this.nc.isClosed()) return false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<false>((ok) => (timer = setTimeout(() => ok(false), deadlineMs)));
    try {
      return await Promise.race([this.nc.flush().then(() => true, () => false), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  get server(): string | undefined {
    return this.connected ? this.nc.getServer() : undefined;
  }

  async reconnect() {
    await this.nc.reconnect();
  }

  async drain() {
    if (this.nc.isClosed() || this.nc.isDraining()) return;
    try {
      await this.nc.drain();
    } catch {
      // Disconnected while draining: nothing more can leave; close.
      await this.close();
    }
  }

  async close() {
    if (!this.nc.isClosed()) await this.nc.close();
  }
}
