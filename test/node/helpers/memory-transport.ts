// An in-memory stand-in for nats-server, for unit tests of the call logic only
// (integration tests use the real server). Subjects match with NATS wildcards;
// a request to a subject nobody listens on fails with "no responders".
import { NoRespondersError, RequestTimeoutError, type InboundMessage, type Transport, type TransportStatus } from 'wd-video/internal';

const matches = (pattern: string, subject: string) => {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
};

export class MemoryHub {
  private subs = new Set<{ pattern: string; fn: (m: InboundMessage) => void }>();
  private seq = 0;
  /** Every publish, for assertions. */
  readonly log: { subject: string; data: Uint8Array; reply?: string }[] = [];

  deliver(subject: string, data: Uint8Array, reply?: string): number {
    this.log.push({ subject, data, reply });
    const targets = [...this.subs].filter((s) => matches(s.pattern, subject));
    // Asynchronous like a network, in order.
    for (const t of targets) queueMicrotask(() => t.fn({ subject, data, ...(reply ? { reply } : {}) }));
    return targets.length;
  }

  transport(uid: string): MemoryTransport {
    return new MemoryTransport(this, uid);
  }

  add(pattern: string, fn: (m: InboundMessage) => void) {
    const s = { pattern, fn };
    this.subs.add(s);
    return () => this.subs.delete(s);
  }

  nextInbox(uid: string) {
    return `_INBOX.${uid}.${++this.seq}`;
  }
}

export class MemoryTransport implements Transport {
  private listeners = new Set<(s: TransportStatus) => void>();
  private unsubs = new Set<() => void>();
  closed = false;

  constructor(
    private hub: MemoryHub,
    readonly uid: string,
  ) {}

  publish(subject: string, data: Uint8Array) {
    if (!this.closed) this.hub.deliver(subject, data);
  }

  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    return new Promise((ok, fail) => {
      const inbox = this.hub.nextInbox(this.uid);
      const timer = setTimeout(() => {
        off();
        fail(new RequestTimeoutError());
      }, timeoutMs);
      const off = this.hub.add(inbox, (m) => {
        clearTimeout(timer);
        off();
        ok(m.data);
      });
      if (this.hub.deliver(subject, data, inbox) === 0) {
        clearTimeout(timer);
        off();
        queueMicrotask(() => fail(new NoRespondersError()));
      }
    });
  }

  private active = new Map<() => void, { subject: string; fn: (m: InboundMessage) => void }>();

  subscribe(subject: string, fn: (m: InboundMessage) => void) {
    let off = this.hub.add(subject, fn);
    const handle = () => {
      off();
      this.active.delete(handle);
    };
    this.active.set(handle, { subject, fn });
    this.unsubs.add(() => off());
    // resume() re-adds subscriptions, like nats.ws does after a reconnect.
    this.resubscribers.add(() => (off = this.hub.add(subject, fn)));
    return handle;
  }

  private resubscribers = new Set<() => void>();

  /** Drop off the network (messages to us find no responders) until resume(). */
  pause() {
    for (const off of this.unsubs) off();
    this.fire({ type: 'disconnected' });
  }

  resume() {
    for (const re of this.resubscribers) re();
    this.fire({ type: 'reconnected' });
  }

  async flush() {}

  onStatus(l: (s: TransportStatus) => void) {
    this.listeners.add(l);
    if (!this.closed) queueMicrotask(() => this.listeners.has(l) && l({ type: 'connected' }));
    return () => this.listeners.delete(l);
  }

  fire(s: TransportStatus) {
    for (const l of this.listeners) l(s);
  }

  async reconnect() {
    this.pause();
    this.resume();
  }

  async drain() {
    await this.close();
  }

  async close() {
    this.closed = true;
    for (const off of this.unsubs) off();
  }
}
