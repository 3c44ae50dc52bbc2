// The call client (Wilddog's videoInstance). Signs in, keeps one NATS
// connection, routes inbound messages to the one current conversation,
// answers invites (ringing, busy, glare) and keeps credentials fresh.
import { toCallOptions } from './call-options.js';
import { CallTimers } from './call-timers.js';
import { Conversation, type CallLink, type CallOptions } from './conversation.js';
import { Emitter } from './emitter.js';
import { WdVideoError } from './errors.js';
import { LocalStream, toLocalStream } from './media/local-stream.js';
import { inboundSubject, isUid, replyAllowed, subjectFor, type Session } from './contract.js';
import { dataSize, decode, decodeReply, encode, encodeReply, LIMITS, randomId, RELIABLE, type Message, type MessageOf, type Reply } from './protocol.js';
import { fetchSession, type SignIn } from './session.js';
import { isRinging } from './state.js';
import { natsTransport } from './internal/nats-transport-factory.js';
import { seamsOf } from './internal/seams.js';
import { NoRespondersError, type InboundMessage, type Transport, type TransportStatus } from './transport.js';

export type ClientStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'error';

export interface VideoClientEvents {
  /** Somebody calls: accept(localStream) or reject() the conversation. */
  called(conversation: Conversation): void;
  /** The sign-in token expired or was refused: call setToken() with a new one. */
  token_error(error: WdVideoError): void;
  /** Connection and permission errors. */
  error(error: WdVideoError): void;
  status(status: ClientStatus): void;
}

export interface VideoClientOptions {
  /** The token service's sign-in URL, e.g. https://calls.example.com/v1/session */
  authUrl: string;
  /** The app's custom token (a JWT its backend signed). */
  token?: string;
  /** Development sign-in, when the server allows it. */
  anonymous?: { uid: string };
  /** Caller's ring timeout, ms (default 30000, at most 120000). */
  timeout?: number;
  /** Bound on ICE connecting before a call fails with `ice_failed`, ms (default 15000). */
  iceTimeout?: number;
}

/** A ring is bounded, as on phones: LIMITS.ring (120 s). */
function checkRingTimeout(timeout: number | undefined) {
  if (timeout !== undefined && !(timeout > 0 && timeout <= LIMITS.ring)) {
    throw new WdVideoError('invalid_argument', `timeout must be more than 0 and at most ${LIMITS.ring} ms, got ${timeout}`);
  }
}

/** Replies (acks, ringing, busy, glare) one sender may get: a burst of REPLY_BURST, refilled at REPLIES_PER_SECOND. */
const REPLY_BURST = 32;
const REPLIES_PER_SECOND = 16;

/** After a reject, a new invite from the same caller within this window is answered busy without ringing. */
export const REJECT_COOLDOWN_MS = 5000;

/** Drop reasons and how often each happened: malformed input is counted, never thrown. */
export interface MessageCounters {
  received: number;
  dropped: number;
  byReason: Record<string, number>;
}

export class VideoClient extends Emitter<VideoClientEvents> {
  /** Identifies this tab/device among the uid's devices. */
  readonly deviceId = randomId();
  readonly counters: MessageCounters = { received: 0, dropped: 0, byReason: {} };
  /**
   * illegalTransitions: bugs a production build survives, moves the state table forbids (development builds throw instead).
   * callTimers: timers calls hold now (ring, ICE, stats, candidate batching); 0 while no call is in progress, more is a leak.
   */
  readonly diagnostics = { illegalTransitions: 0, callTimers: 0 };
  private readonly timers = new CallTimers((live) => (this.diagnostics.callTimers = live));
  private _status: ClientStatus = 'idle';
  private session: Session | undefined;
  private transport: Transport | undefined;
  private unsubscribe: (() => void) | undefined;
  private starting: Promise<void> | undefined;
  private current: Conversation | undefined;
  private closedIds: string[] = [];
  /** Replies each sender may still get (see mayReply), and the last inbox we replied to. */
  private replyBudget = new Map<string, { tokens: number; at: number; last: string }>();
  /** When we last rejected each caller (the incoming call closed `rejected`, here or on another device of ours). */
  private rejectedAt = new Map<string, number>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private signIn: SignIn;
  private readonly link: CallLink;
  private readonly onUnload = () => this.current?.end('hangup');

  constructor(private readonly options: VideoClientOptions) {
    super();
    if (!options?.authUrl) throw new WdVideoError('invalid_argument', 'authUrl is required');
    if (options.token) this.signIn = { token: options.token };
    else if (options.anonymous) this.signIn = { anonymous: { uid: options.anonymous.uid } };
    else throw new WdVideoError('invalid_argument', 'give a token, or anonymous: {uid} for development');
    checkRingTimeout(options.timeout);
    this.link = this.makeLink();
    if (typeof window !== 'undefined') {
      window.addEventListener('beforeunload', this.onUnload);
      window.addEventListener('pagehide', this.onUnload);
    }
  }

  get uid(): string | undefined {
    return this.session?.uid;
  }
  get status(): ClientStatus {
    return this._status;
  }
  /** The conversation in progress, ringing or live. */
  get conversation(): Conversation | undefined {
    return this.current;
  }

  private setStatus(s: ClientStatus) {
    if (s === this._status) return;
    this._status = s;
    this.emit('status', s);
  }

  /** Sign in, connect and start receiving calls. Idempotent. */
  start(): Promise<void> {
    this.starting ??= this.connect().catch((e) => {
      this.starting = undefined;
      throw e;
    });
    return this.starting;
  }

  private async connect() {
    this.setStatus('connecting');
    try {
      this.session = await this.fetchSession();
      const { uid, nats } = this.session;
      const connect = seamsOf(this).transport ?? natsTransport;
      this.transport = await connect({ servers: nats.servers, uid, jwt: () => this.session!.nats.jwt, name: `wd-video/${uid}` });
    } catch (e) {
      const err = e instanceof WdVideoError ? e : new WdVideoError('connect_failed', 'could not connect to signaling', { cause: e });
      this.setStatus('error');
      if (err.code === 'token_expired' || err.code === 'token_invalid') this.emit('token_error', err);
      this.emit('error', err);
      throw err;
    }
    const transport = this.transport;
    // A transport we have let go of (stop()) no longer speaks for us.
    transport.onStatus((s) => transport === this.transport && this.onTransportStatus(s));
    this.unsubscribe = this.transport.subscribe(inboundSubject(this.session.uid), (m) => this.onMessage(m));
    // Reachable when start() resolves: a caller that calls us right after must not hear UNAVAILABLE.
    await this.transport.flush();
    this.scheduleRefresh();
    this.setStatus('connected');
  }

  private fetchSession(): Promise<Session> {
    const seam = seamsOf(this).session;
    return seam ? seam() : fetchSession(this.options.authUrl, this.signIn);
  }

  private onTransportStatus(s: TransportStatus) {
    switch (s.type) {
      case 'disconnected':
      case 'reconnecting':
        if (this._status === 'connected') this.setStatus('reconnecting');
        break;
      case 'connected':
      case 'reconnected':
        // The first `connected` arrives while start() still flushes: start() reports that one.
        if (this._status !== 'connecting') this.setStatus('connected');
        break;
      case 'closed':
        if (this._status !== 'disconnected') {
          this.setStatus('disconnected');
          this.current?.end('signaling_lost');
        }
        break;
      case 'error':
        this.emit('error', new WdVideoError(s.permission ? 'permission_denied' : 'connect_failed', s.error.message, { cause: s.error }));
        break;
    }
  }

  /** Refresh the NATS JWT and TURN credentials before they expire, without dropping a call. */
  private scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    if (!this.session) return;
    const left = this.session.expiresAt - Date.now();
    const margin = Math.max(2000, Math.min(60_000, left * 0.2));
    this.refreshTimer = setTimeout(() => void this.refresh(), Math.max(1000, left - margin));
  }

  private async refresh() {
    try {
      this.session = await this.fetchSession();
      // The server kicks a connection whose JWT expires: reconnect now with the fresh one.
      await this.transport?.reconnect();
      this.scheduleRefresh();
    } catch (e) {
      const err = e instanceof WdVideoError ? e : new WdVideoError('connect_failed', 'credential refresh failed', { cause: e });
      if (err.code === 'token_expired' || err.code === 'token_invalid') this.emit('token_error', err);
      else {
        this.emit('error', err);
        this.refreshTimer = setTimeout(() => void this.refresh(), 5000);
      }
    }
  }

  /** Replace the app token (e.g. after token_error) and sign in again. */
  async setToken(token: string): Promise<void> {
    if (typeof token !== 'string' || !token) throw new WdVideoError('invalid_argument', 'setToken needs a token string');
    this.signIn = { token };
    if (this.transport) await this.refresh();
    else await this.start();
  }

  /** Stop receiving calls: hang up, disconnect. start() connects again. */
  async stop(): Promise<void> {
    clearTimeout(this.refreshTimer);
    this.current?.end('hangup');
    await this.starting?.catch(() => {});
    this.starting = undefined;
    this.unsubscribe?.();
    const t = this.transport;
    this.transport = undefined;
    this.setStatus('disconnected');
    // Drain: the hang-up queued above leaves before the socket closes.
    await t?.drain();
  }

  /** stop(), and forget page listeners. */
  async close(): Promise<void> {
    if (typeof window !== 'undefined') {
      window.removeEventListener('beforeunload', this.onUnload);
      window.removeEventListener('pagehide', this.onUnload);
    }
    await this.stop();
  }

  /**
   * Call `remoteUid`. Returns the Conversation at once; what happens next
   * arrives as its events. A call in progress is hung up first (`replaced`).
   * The third argument is the options, or (as in the Wilddog 2.x SDK) the user
   * data itself: see toCallOptions() for the rule.
   */
  call(remoteUid: string, localStream: LocalStream | MediaStream, options?: CallOptions): Conversation;
  call(remoteUid: string, localStream: LocalStream | MediaStream, data: unknown): Conversation;
  call(remoteUid: string, localStream: LocalStream | MediaStream, optionsOrData?: unknown): Conversation {
    const options = toCallOptions(optionsOrData);
    if (!isUid(remoteUid)) throw new WdVideoError('invalid_argument', `remoteUid must match ^[A-Za-z0-9_-]{1,64}$, got ${JSON.stringify(remoteUid)}`);
    if (!localStream) throw new WdVideoError('invalid_argument', 'call() needs a LocalStream or MediaStream');
    const self = this.session?.uid ?? this.options.anonymous?.uid;
    if (remoteUid === self) throw new WdVideoError('invalid_argument', 'cannot call yourself');
    const size = dataSize(options.data);
    if (size > LIMITS.data) throw new WdVideoError('data_too_large', `data is ${size === Infinity ? 'not JSON-serialisable' : `${size} bytes`}; the limit is ${LIMITS.data} bytes`);
    checkRingTimeout(options.timeout);
    const cur = this.current;
    if (cur && cur.state === 'incoming' && cur.remoteUid === remoteUid) {
      // Calling back the person whose call rings here: answer it (one call, not two that wait on each other).
      void cur.accept(localStream).then(
        () => cur.emitResponse('ACCEPTED'),
        () => {},
      );
      return cur;
    }
    cur?.end('replaced');
    const conv = new Conversation(this.link, remoteUid, { direction: 'outgoing', localStream: toLocalStream(localStream), options });
    this.current = conv;
    void this.start().catch(() => {});
    return conv;
  }

  // ---- inbound ------------------------------------------------------------

  private drop(reason: string) {
    this.counters.dropped++;
    this.counters.byReason[reason] = (this.counters.byReason[reason] ?? 0) + 1;
  }

  private onMessage(m: InboundMessage) {
    this.counters.received++;
    const uid = this.session?.uid;
    if (!uid) return;
    const d = decode(uid, m.subject, m.data);
    if (!d.ok) return this.drop(d.reason);
    const { from, msg } = d;
    if (msg.type === 'invite') return this.onInvite(from, msg, m.reply);
    if (RELIABLE.has(msg.type) && m.reply) {
      // The reply guard: an unchecked reply lets a peer make us publish to anyone.
      if (!replyAllowed(from, m.reply)) this.drop('forged_reply');
      else if (this.mayReply(from, m.reply)) this.respond(m.reply, { t: 'ack', callId: msg.callId });
      else this.drop('reply_limited');
    }
    const conv = this.current;
    if (conv && conv.remoteUid === from && conv.callId === msg.callId) return conv.handle(msg);
    const stale = this.closedIds.includes(msg.callId);
    // An answer that crossed our cancel: tell that device the call is over.
    // Within the sender's reply budget: a flood of answers for one of its closed calls must not make us publish as many.
    if (stale && msg.type === 'answer' && this.mayReply(from)) this.link.send(from, { type: 'hangup', callId: msg.callId, dev: this.deviceId, to: msg.dev, reason: 'cancelled' });
    this.drop(stale ? 'stale_call' : 'unknown_call');
  }

  private respond(reply: string, r: Reply) {
    this.transport?.publish(reply, encodeReply({ ...r, dev: this.deviceId }));
  }

  /**
   * Whether `from` may have one more reply (ack, ringing, busy, glare; or the hang-up
   * that answers a stale answer) now. Every valid request earns one, so a flood of
   * them would make us publish as fast as we receive, and a reply inbox used twice
   * makes nats-server answer the second reply with a permissions -ERR, which queued
   * up to a slow-consumer disconnect in flood.test.ts. A real peer needs a handful
   * per call, each request with a fresh inbox.
   */
  private mayReply(from: string, reply?: string): boolean {
    const now = Date.now();
    let b = this.replyBudget.get(from);
    if (!b) {
      b = { tokens: REPLY_BURST, at: now, last: '' };
      this.replyBudget.set(from, b);
      // Bounded; forgetting a sender only gives it a full budget again.
      if (this.replyBudget.size > 256) this.replyBudget.delete(this.replyBudget.keys().next().value!);
    }
    b.tokens = Math.min(REPLY_BURST, b.tokens + ((now - b.at) / 1000) * REPLIES_PER_SECOND);
    b.at = now;
    if ((reply !== undefined && reply === b.last) || b.tokens < 1) return false;
    b.tokens--;
    if (reply !== undefined) b.last = reply;
    return true;
  }

  private onInvite(from: string, msg: MessageOf<'invite'>, reply: string | undefined) {
    if (!replyAllowed(from, reply)) return this.drop('forged_reply');
    if (msg.dev === this.deviceId) return; // our own invite, echoed to our uid
    // Past its reply budget a sender's invite neither rings nor gets an answer (its retry may).
    if (!this.mayReply(from, reply)) return this.drop('reply_limited');
    if (this.closedIds.includes(msg.callId)) return this.drop('stale_call');
    const cur = this.current;
    if (cur?.callId === msg.callId) return this.respond(reply, { t: 'ringing', callId: msg.callId });
    if (cur && cur.direction === 'outgoing' && cur.remoteUid === from && isRinging(cur.state)) {
      // Glare: both called each other. The smaller callId survives on both sides.
      if (msg.callId < cur.callId) {
        this.respond(reply, { t: 'ringing', callId: msg.callId });
        void cur.adopt(msg);
      } else {
        this.respond(reply, { t: 'glare', callId: msg.callId });
      }
      return;
    }
    // Ring-bombing: a caller just rejected may not ring again at once; it hears BUSY, nothing rings.
    const rejected = this.rejectedAt.get(from);
    const cooling = rejected !== undefined && Date.now() - rejected < REJECT_COOLDOWN_MS;
    if (cur || cooling) {
      if (!cur) this.drop('recent_reject');
      this.respond(reply, { t: 'busy', callId: msg.callId });
      // Other devices of ours may have answered `ringing` first: make sure the caller hears BUSY.
      this.transport?.publish(subjectFor(from, this.session!.uid, 'busy'), encode({ type: 'busy', callId: msg.callId, dev: this.deviceId }));
      return;
    }
    const conv = new Conversation(this.link, from, { direction: 'incoming', invite: msg });
    this.current = conv;
    this.respond(reply, { t: 'ringing', callId: msg.callId });
    this.emit('called', conv);
  }

  // ---- what conversations use ---------------------------------------------

  private makeLink(): CallLink {
    const client = this;
    return {
      get uid() {
        return client.session?.uid ?? '';
      },
      deviceId: this.deviceId,
      settings: {
        timeout: this.options.timeout ?? 30_000,
        iceTimeout: this.options.iceTimeout ?? 15_000,
        iceRestartTimeout: 8000,
        iceRestarts: 3,
        statsInterval: 2000,
      },
      ready: () => this.start(),
      iceServers: () => this.session?.iceServers ?? [],
      send: (to, msg) => this.transport?.publish(subjectFor(to, this.session!.uid, msg.type), encode(msg)),
      sendReliable: (to, msg) => this.sendReliable(to, msg),
      invite: (to, msg) => this.invite(to, msg),
      illegalTransition: () => void this.diagnostics.illegalTransitions++,
      timers: this.timers,
      released: (conv) => {
        if (this.current === conv) this.current = undefined;
        this.closedIds.push(conv.callId);
        if (this.closedIds.length > 64) this.closedIds.shift();
        if (conv.direction === 'incoming' && conv.closeReason === 'rejected') {
          this.rejectedAt.delete(conv.remoteUid); // re-insert: the map stays in age order
          this.rejectedAt.set(conv.remoteUid, Date.now());
          // Bounded; evicting the oldest matters only after 64 rejects within one cooldown.
          if (this.rejectedAt.size > 64) this.rejectedAt.delete(this.rejectedAt.keys().next().value!);
        }
      },
    };
  }

  private async invite(to: string, msg: MessageOf<'invite'>): Promise<'ringing' | 'busy' | 'glare' | 'unavailable'> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const t = this.transport;
      if (!t) throw new WdVideoError('not_connected', 'not connected');
      try {
        const r = decodeReply(await t.request(subjectFor(to, this.session!.uid, 'invite'), encode(msg), 4000));
        if (r && r.callId === msg.callId && r.t !== 'ack') return r.t;
      } catch (e) {
        if (e instanceof NoRespondersError) return 'unavailable';
        // Timeout (e.g. during a reconnect): try again.
      }
    }
    return 'unavailable';
  }

  /** Messages that must arrive: request, wait for an ack, retry with backoff for up to 20 s. */
  private async sendReliable(to: string, msg: Message): Promise<boolean> {
    const deadline = Date.now() + 20_000;
    let wait = 200;
    while (Date.now() < deadline) {
      const t = this.transport;
      if (!t || !this.session) return false; // stopped: nobody to send it
      {
        try {
          const r = decodeReply(await t.request(subjectFor(to, this.session.uid, msg.type), encode(msg), 1500));
          if (r?.t === 'ack') return true;
        } catch {
          // no responders (peer reconnecting) or timeout: retry below
        }
      }
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 2000);
    }
    return false;
  }
}
