// The Transport over nats.ws. Tuned so a frozen or restarted server is noticed
// within seconds (pings), reconnects forever with jitter, and always signs in
// with the freshest JWT (function authenticator).
import { connect, Events, jwtAuthenticator, ErrorCode, type NatsConnection, type NatsError } from 'nats.ws';
import { inboxPrefix } from '../contract.js';
import { NoRespondersError, RequestTimeoutError, type InboundMessage, type Transport, type TransportOptions, type TransportStatus } from '../transport.js';

export async function connectNats(o: TransportOptions): Promise<NatsTransport> {
  const nc = await connect({
    servers: o.servers,
    authenticator: jwtAuthenticator(o.jwt),
    inboxPrefix: inboxPrefix(o.uid),
    name: o.name,
    timeout: 5000,
    // A frozen server is found after pingInterval * maxPingOut.
    pingInterval: 5000,
    maxPingOut: 2,
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    reconnectJitter: 250,
    waitOnFirstConnect: false,
    // Our own messages to our own uid (other devices) must be seen; echo stays on.
    noEcho: false,
  });
  return new NatsTransport(nc);
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
