// An in-memory stand-in for nats-server, for unit tests of the call logic only
// (integration tests use the real server). It behaves like nats-server and
// nats.ws where the SDK depends on them, and test/node/sdk/transport-conformance.test.ts
// runs the same assertions against it and against the real server:
// - subjects match with NATS wildcards (`*` one token, `>` the rest);
// - each transport belongs to a uid and may publish and subscribe only within
//   permissionsFor(uid), plus one reply to each request delivered to it (the
//   response permission). Anything else is dropped and reported asynchronously
//   as a `{type: 'error', permission: true}` status, as nats.ws reports the
//   server's -ERR; a refused request also rejects with that error;
// - a request nobody listens to fails at once with NoRespondersError;
// - delivery is asynchronous and in order; unsubscribing stops it for good;
// - while disconnected (pause(), reconnect()) the server no longer has our
//   subscriptions (requests to us find no responders, messages to us are lost)
//   and what we send waits in a buffer until we are back, as nats.ws does.
import { permissionsFor, RESPONSE_TTL_NS } from 'wd-video/contract';
import { NoRespondersError, RequestTimeoutError, type InboundMessage, type Transport, type TransportStatus } from 'wd-video/internal';

/** NATS subject matching: `*` matches one token, `>` one or more at the end. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

/** Whether every subject `sub` (itself possibly with wildcards) can match is also matched by `allowed`: how nats-server checks a SUB against a permission. */
function subjectWithin(sub: string, allowed: string): boolean {
  const s = sub.split('.');
  const a = allowed.split('.');
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '>') return s.length > i;
    if (i >= s.length || s[i] === '>') return false;
    if (a[i] !== '*' && (s[i] === '*' || a[i] !== s[i])) return false;
  }
  return a.length === s.length;
}

/** What nats.ws reports for a refused PUB or SUB: the server's own wording. */
export class PermissionError extends Error {
  constructor(
    readonly operation: 'Publish' | 'Subscription',
    readonly subject: string,
  ) {
    super(`Permissions Violation for ${operation} to "${subject}"`);
    this.name = 'PermissionError';
  }
}

interface Sub {
  pattern: string;
  owner: MemoryTransport;
  fn: (m: InboundMessage) => void;
}

export class MemoryHub {
  private subs = new Set<Sub>();
  private seq = 0;
  /** Every message the server accepted and routed, for assertions. */
  readonly log: { from: string; subject: string; data: Uint8Array; reply?: string }[] = [];

  /** A new connection signed in as `uid`. */
  transport(uid: string): MemoryTransport {
    return new MemoryTransport(this, uid);
  }

  /** @internal What the server does with an accepted PUB: deliver to every matching subscription, asynchronously and in order. */
  route(from: MemoryTransport, subject: string, data: Uint8Array, reply?: string): number {
    this.log.push({ from: from.uid, subject, data, ...(reply ? { reply } : {}) });
    const targets = [...this.subs].filter((s) => subjectMatches(s.pattern, subject));
    for (const t of targets) {
      queueMicrotask(() => {
        // Unsubscribed or disconnected meanwhile: nats-server no longer delivers it.
        if (!this.subs.has(t)) return;
        if (reply) t.owner.grantReply(reply);
        t.fn({ subject, data, ...(reply ? { reply } : {}) });
      });
    }
    return targets.length;
  }

  /** @internal */
  add(s: Sub) {
    this.subs.add(s);
  }

  /** @internal */
  remove(s: Sub) {
    this.subs.delete(s);
  }

  /** @internal A request inbox below `_INBOX.<uid>`, as nats.ws makes with inboxPrefix. */
  nextInbox(uid: string) {
    return `_INBOX.${uid}.${++this.seq}`;
  }
}

type Outbound = () => void;

export class MemoryTransport implements Transport {
  private listeners = new Set<(s: TransportStatus) => void>();
  /** Our subscriptions, kept while disconnected so they come back on reconnect. */
  private mine = new Set<Sub>();
  /** Reply subjects we may answer once (the response permission), and until when. */
  private replies = new Map<string, number>();
  private buffered: Outbound[] = [];
  private readonly perms;
  private connected = true;
  /** A frozen server (stall()): the socket looks open, nothing is answered. */
  private stalled = false;
  closed = false;
  /** Pings asked for (liveness checks). */
  pings = 0;

  constructor(
    private hub: MemoryHub,
    readonly uid: string,
  ) {
    this.perms = permissionsFor(uid);
  }

  // ---- the server's checks ----------------------------------------------------

  /** @internal A request with this reply subject was delivered to us: we may answer it once, within the TTL. */
  grantReply(reply: string) {
    this.replies.set(reply, Date.now() + RESPONSE_TTL_NS / 1e6);
  }

  private mayPublish(subject: string): boolean {
    if (this.perms.pub.allow.some((p) => subjectMatches(p, subject))) return true;
    const until = this.replies.get(subject);
    if (until === undefined) return false;
    this.replies.delete(subject);
    return Date.now() <= until;
  }

  private refuse(operation: 'Publish' | 'Subscription', subject: string): PermissionError {
    const error = new PermissionError(operation, subject);
    // The server's -ERR arrives later than the PUB/SUB that caused it.
    queueMicrotask(() => this.fire({ type: 'error', error, permission: true }));
    return error;
  }

  private ensureOpen() {
    if (this.closed) throw new Error('connection closed');
  }

  /** Send now, or once reconnected. */
  private send(out: Outbound) {
    if (this.connected) out();
    else this.buffered.push(out);
  }

  // ---- Transport ----------------------------------------------------------------

  publish(subject: string, data: Uint8Array) {
    this.publishWithReply(subject, data);
  }

  /** A publish with any reply subject, as a raw NATS client may send (the server checks the subject, not the reply). */
  publishWithReply(subject: string, data: Uint8Array, reply?: string) {
    this.ensureOpen();
    this.send(() => {
      if (this.mayPublish(subject)) this.hub.route(this, subject, data, reply);
      else this.refuse('Publish', subject);
    });
  }

  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    return new Promise((ok, fail) => {
      const inbox = this.hub.nextInbox(this.uid);
      let off = () => {};
      const timer = setTimeout(() => {
        off();
        fail(new RequestTimeoutError());
      }, timeoutMs);
      const settle = (f: () => void) => {
        clearTimeout(timer);
        off();
        f();
      };
      off = this.subscribe(inbox, (m) => settle(() => ok(m.data)));
      this.send(() => {
        if (!this.mayPublish(subject)) {
          const error = this.refuse('Publish', subject);
          // nats.ws fails the request whose subject the server refused.
          return queueMicrotask(() => settle(() => fail(error)));
        }
        if (this.hub.route(this, subject, data, inbox) === 0) queueMicrotask(() => settle(() => fail(new NoRespondersError())));
      });
    });
  }

  subscribe(subject: string, onMessage: (m: InboundMessage) => void) {
    this.ensureOpen();
    if (!this.perms.sub.allow.some((a) => subjectWithin(subject, a))) {
      this.refuse('Subscription', subject);
      return () => {};
    }
    const sub: Sub = { pattern: subject, owner: this, fn: onMessage };
    this.mine.add(sub);
    if (this.connected) this.hub.add(sub);
    return () => {
      this.mine.delete(sub);
      this.hub.remove(sub);
    };
  }

  onStatus(listener: (s: TransportStatus) => void) {
    this.listeners.add(listener);
    if (this.connected && !this.closed) queueMicrotask(() => this.listeners.has(listener) && listener({ type: 'connected' }));
    return () => void this.listeners.delete(listener);
  }

  private fire(s: TransportStatus) {
    for (const l of [...this.listeners]) l(s);
  }

  /** Resolves once everything sent so far was routed (deliveries are queued in order behind it). */
  async flush() {
    this.ensureOpen();
    await Promise.resolve();
  }

  /** Answered at once, unless the server is frozen (stall()) or we are disconnected. */
  ping(deadlineMs: number): Promise<boolean> {
    this.pings++;
    if (!this.connected || this.closed) return Promise.resolve(false);
    if (!this.stalled) return Promise.resolve(true);
    return new Promise((ok) => setTimeout(() => ok(false), deadlineMs));
  }

  get server() {
    return this.connected ? 'memory:4222' : undefined;
  }

  /** Like nats.ws: resolves at once; the transport then drops off and comes back (statuses disconnected, reconnecting, reconnected), to a live server. */
  async reconnect() {
    this.ensureOpen();
    this.stalled = false;
    queueMicrotask(() => {
      this.pause();
      queueMicrotask(() => this.resume());
    });
  }

  /** Send what is buffered, stop receiving, then close. */
  async drain() {
    if (this.closed) return;
    if (this.connected) for (const sub of this.mine) this.hub.remove(sub);
    await this.close();
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    this.connected = false;
    this.buffered = [];
    for (const sub of this.mine) this.hub.remove(sub);
    this.mine.clear();
    queueMicrotask(() => this.fire({ type: 'closed' }));
  }

  // ---- for tests: the network going away and coming back --------------------

  /** Subjects this connection is subscribed to on the server now (none while disconnected). */
  get subscriptions(): string[] {
    return this.connected ? [...this.mine].map((x) => x.pattern) : [];
  }

  /** The server freezes: the connection stays up, pings go unanswered (until reconnect()). */
  stall() {
    this.stalled = true;
  }

  /** Drop off the network until resume(): the server forgets our subscriptions; what we send is buffered. */
  pause() {
    if (!this.connected || this.closed) return;
    this.connected = false;
    for (const sub of this.mine) this.hub.remove(sub);
    this.fire({ type: 'disconnected' });
    this.fire({ type: 'reconnecting' });
  }

  /** Back on the network: subscriptions restored, then the buffer sent, as nats.ws does on reconnect. */
  resume() {
    if (this.connected || this.closed) return;
    this.connected = true;
    for (const sub of this.mine) this.hub.add(sub);
    for (const out of this.buffered.splice(0)) out();
    this.fire({ type: 'reconnected' });
  }
}
