// The call client (Wilddog's videoInstance). Signs in, keeps one NATS
// connection, routes inbound messages to the one current conversation,
// answers invites (ringing, busy, glare) and keeps credentials fresh.
import { toCallOptions } from './call-options.js';
import { CallTimers } from './call-timers.js';
import { Conversation, type CallLink, type CallOptions, type InviteHooks } from './conversation.js';
import { Emitter } from './emitter.js';
import { WdVideoError } from './errors.js';
import { LocalStream, toLocalStream } from './media/local-stream.js';
import { assertWebRtc } from './media/webrtc-support.js';
import { eventSubject, inboundSubject, isId, isUid, noticeSubject, replyAllowed, serviceSubject, subjectFor, type CallRecord, type CallReport, type Session } from './contract.js';
import { reportCall } from './call-report.js';
import { parseHistoryReply, parseNotice, parseSeenReply, type HistoryOptions } from './history.js';
import { dataSize, decode, decodeReply, encode, encodeReply, LIMITS, randomId, RELIABLE, type Message, type MessageOf, type Reply } from './protocol.js';
import { fetchSession, type SignIn } from './session.js';
import { cancelPushRing, disablePush, enablePush, ringByPush, showLocalRing, type EnablePushOptions } from './push.js';
import { choiceFromUrl, onWorkerChoice, type NotificationChoice } from './push-actions.js';
import { isRinging } from './state.js';
import { watchPageLifecycle, type WakeReason } from './page-lifecycle.js';
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
  /** A liveness check found the connection dead (after sleep, a network change, a frozen server) and a reconnect began. */
  wake(reason: WakeReason): void;
  /**
   * The person chose Accept on this call's notification (Web Push, or the hidden
   * tab's own): answer it, `conversation.accept(localStream)`. `<wd-incoming-call>` does.
   * (Decline needs no listener: the client rejects the call itself.)
   */
  notification_accept(conversation: Conversation): void;
  /** A call to us went unanswered (rang out, cancelled, we were offline or busy): its history record, as it is stored. */
  missed_call(record: CallRecord): void;
  /** A record was just stored in our history (any call of ours that ended, on any of our devices; missed ones too). */
  call_record(record: CallRecord): void;
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

/**
 * An invite that finds no responders is tried again for this long (within the
 * ring time) before the callee counts as offline: while the callee's node fails
 * over, its subscription is gone from the cluster for a moment (docs/protocol.md).
 */
export const NO_RESPONDERS_GRACE_MS = 3000;

/** While a push rings the callee, the invite is retried this often (at most): the page the notification opens gets it this soon after signing in. */
export const PUSH_RETRY_MS = 500;

/** How long an old connection keeps receiving after a new one took over (replaceTransport). */
export const MOVE_OVERLAP_MS = 500;

/** A liveness ping on waking (see page-lifecycle.ts) that takes longer than this means a dead connection. */
export const WAKE_PING_MS = 1000;

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
  /** When the credentials expire, on this client's clock: receipt time + the session's ttl (a skewed clock cancels out). */
  private credentialsEnd = 0;
  private stopWatchingPage: (() => void) | undefined;
  private checkingLiveness: Promise<void> | undefined;
  private replacing: Promise<void> | undefined;
  /** Counts stop()s: work begun before one (a refresh signing in) must not re-arm anything after it. */
  private runs = 0;
  private signIn: SignIn;
  private readonly link: CallLink;
  private readonly onUnload = () => this.current?.end('hangup');
  /** The push service worker's registration, once enablePush() succeeded (a hidden tab shows its rings through it). */
  private pushRegistration: ServiceWorkerRegistration | undefined;
  /** A notification's Accept/Decline whose call has not (yet) arrived here: applied when its invite does. */
  private pendingChoice: (NotificationChoice & { until: number }) | undefined;
  private stopChoices: (() => void) | undefined;

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
      const fromUrl = choiceFromUrl();
      if (fromUrl) this.pendingChoice = { ...fromUrl, until: Date.now() + LIMITS.ring };
      this.stopChoices = onWorkerChoice((c) => this.onNotificationChoice(c));
    }
  }

  // ---- Web Push -----------------------------------------------------------

  /**
   * Ring this device by Web Push while its tab is hidden or closed: asks for
   * notification permission (call it from a click), registers the service
   * worker (`/dist/wd-video-sw.js`, or yours) and uploads a push subscription
   * for this uid and device. Safe to call on every page load once permission
   * is granted (no prompt then). Rejects with push_unsupported, push_denied or
   * push_failed; once the worker is registered, a hidden tab shows its rings
   * even when the browser's push service refused the subscription.
   */
  async enablePush(options: EnablePushOptions): Promise<void> {
    await enablePush(this.options.authUrl, this.signIn, options, (reg) => (this.pushRegistration = reg));
  }

  /** Stop pushes to this device. */
  async disablePush(): Promise<void> {
    await disablePush(this.options.authUrl, this.signIn, this.pushRegistration);
    this.pushRegistration = undefined;
  }

  /** Accept or Decline from a notification: applied to the ringing call now, or to its invite when it arrives. */
  private onNotificationChoice(c: NotificationChoice) {
    const conv = this.current;
    if (conv?.callId === c.callId && conv.state === 'incoming') return this.applyChoice(conv, c.action);
    this.pendingChoice = { ...c, until: Date.now() + LIMITS.ring };
    // A signed-out page that was told to answer signs in: the caller's retried invite then reaches it.
    void this.start().catch(() => {});
  }

  private applyChoice(conv: Conversation, action: NotificationChoice['action']) {
    if (action === 'decline') conv.reject();
    else this.emit('notification_accept', conv);
  }

  /** After a new incoming call is announced: a choice made on its notification, or a notification for a hidden tab. */
  private ringBeyondThePage(conv: Conversation, invite: MessageOf<'invite'>) {
    const choice = this.pendingChoice;
    if (choice && choice.callId === conv.callId && Date.now() < choice.until) {
      this.pendingChoice = undefined;
      void choice.confirmed.then((ok) => ok && conv.state === 'incoming' && this.applyChoice(conv, choice.action));
      return;
    }
    if (!this.pushRegistration || typeof document === 'undefined' || document.visibilityState !== 'hidden') return;
    const close = showLocalRing(this.pushRegistration, { type: 'ring', caller: conv.remoteUid, callId: conv.callId, expiresAt: Date.now() + Math.min(invite.ttl, LIMITS.ring) });
    conv.on('state', (state) => state !== 'incoming' && close());
  }

  /** Ring `to` by push (the invite found no device): true when a push went out. */
  private async ringByPush(to: string, msg: MessageOf<'invite'>, ttl: number): Promise<boolean> {
    // A server without push says so in the session: the callee is offline, no request to ask it.
    if (this.session?.push === false) return false;
    return ringByPush(this.options.authUrl, this.signIn, { to, callId: msg.callId, ttl, ...(msg.data !== undefined ? { data: msg.data } : {}) });
  }

  get uid(): string | undefined {
    return this.session?.uid;
  }
  get status(): ClientStatus {
    return this._status;
  }
  /** The NATS server this client is connected to (host:port), for diagnostics; undefined while not connected. */
  get server(): string | undefined {
    return this.transport?.server;
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
    let opened: { transport: Transport; unsubscribe: () => void };
    try {
      await this.renewSession();
      opened = await this.openTransport();
    } catch (e) {
      const err = e instanceof WdVideoError ? e : new WdVideoError('connect_failed', 'could not connect to signaling', { cause: e });
      this.setStatus('error');
      if (err.code === 'token_expired' || err.code === 'token_invalid') this.emit('token_error', err);
      this.emit('error', err);
      throw err;
    }
    this.transport = opened.transport;
    this.unsubscribe = opened.unsubscribe;
    this.scheduleRefresh();
    this.stopWatchingPage ??= watchPageLifecycle((reason) => void this.checkLiveness(reason));
    this.setStatus('connected');
  }

  /**
   * Connect a transport with the current session, subscribe to our calls and
   * flush: when this resolves the transport is reachable (a caller that calls
   * us right after must not hear UNAVAILABLE).
   */
  private async openTransport(): Promise<{ transport: Transport; unsubscribe: () => void }> {
    const { uid, nats } = this.session!;
    const connect = seamsOf(this).transport ?? natsTransport;
    const transport = await connect({ servers: nats.servers, uid, jwt: () => this.session!.nats.jwt, name: `wd-video/${uid}` });
    // Only the transport in use speaks for us: not one we let go of (stop(), a refresh), nor one still being set up.
    transport.onStatus((s) => transport === this.transport && this.onTransportStatus(s));
    const calls = transport.subscribe(inboundSubject(uid), (m) => this.onMessage(m));
    const notices = transport.subscribe(noticeSubject(uid, '*'), (m) => this.onNotice(m));
    const unsubscribe = () => {
      calls();
      notices();
    };
    try {
      await transport.flush();
    } catch (e) {
      await transport.close().catch(() => {});
      throw e;
    }
    return { transport, unsubscribe };
  }

  private async renewSession(): Promise<void> {
    const seam = seamsOf(this).session;
    const session = await (seam ? seam() : fetchSession(this.options.authUrl, this.signIn));
    // The lifetime is relative (ttl, seconds): measured on our own clock from now, a
    // client clock hours off neither loops sign-ins nor lets the credentials lapse.
    // A server without ttl: expiresAt, on the server's clock (trusting ours).
    const ttlMs = typeof session.ttl === 'number' && session.ttl > 0 ? session.ttl * 1000 : session.expiresAt - Date.now();
    this.session = session;
    this.credentialsEnd = Date.now() + ttlMs;
  }

  /**
   * Is the connection alive? Asked when the page wakes (visible again, online,
   * back from the bfcache or a freeze, after a clock jump): timers may have slept
   * through nats.ws's pings. A ping with a short deadline decides; a dead
   * connection is dropped and nats.ws reconnects (to another node if this one is
   * gone). Credentials that lapsed meanwhile are renewed first.
   */
  private checkLiveness(reason: WakeReason): Promise<void> {
    this.checkingLiveness ??= (async () => {
      const t = this.transport;
      // Not connected: nats.ws is already reconnecting (or we stopped); nothing to check.
      if (!t || this._status !== 'connected') return;
      if (Date.now() >= this.credentialsEnd - this.refreshMargin()) {
        await this.refresh();
        return;
      }
      if (await t.ping(WAKE_PING_MS)) return;
      if (t !== this.transport) return;
      this.emit('wake', reason);
      await t.reconnect().catch(() => {});
    })().finally(() => (this.checkingLiveness = undefined));
    return this.checkingLiveness;
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
      case 'moving':
        void this.move();
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

  /** How long before the credentials end a refresh starts: a fifth of their lifetime, 2 s to 60 s. */
  private refreshMargin() {
    const life = this.session?.ttl ? this.session.ttl * 1000 : 3_600_000;
    return Math.max(2000, Math.min(60_000, life * 0.2));
  }

  /** Refresh the NATS JWT and TURN credentials before they expire, without dropping a call. */
  private scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    if (!this.session) return;
    const left = this.credentialsEnd - Date.now();
    this.refreshTimer = setTimeout(() => void this.refresh(), Math.max(1000, left - this.refreshMargin()));
  }

  /**
   * New credentials, and a new connection that presents them, made before the
   * old one is let go (replaceTransport): the server kicks a connection whose
   * JWT expires.
   */
  private async refresh() {
    if (!this.transport) return; // stopped: nothing to keep alive
    const run = this.runs;
    try {
      await this.renewSession();
      // stop() while we signed in: no new connection, no new timer (it would sign in forever).
      if (run !== this.runs) return;
      await this.replaceTransport();
      if (run !== this.runs) return;
      this.scheduleRefresh();
    } catch (e) {
      const err = e instanceof WdVideoError ? e : new WdVideoError('connect_failed', 'credential refresh failed', { cause: e });
      if (err.code === 'token_expired' || err.code === 'token_invalid') this.emit('token_error', err);
      else if (run === this.runs) {
        this.emit('error', err);
        this.refreshTimer = setTimeout(() => void this.refresh(), 5000);
      }
    }
  }

  /**
   * Our node is shutting down (lame duck mode, a rolling restart): move to
   * another one make-before-break, so no message to us is lost meanwhile. If
   * that fails, the node closes us after its grace period and nats.ws
   * reconnects elsewhere, as after a crash.
   */
  private async move() {
    try {
      await this.replaceTransport();
    } catch {
      // the fallback above
    }
  }

  /**
   * A new connection (with the current credentials) made before the old one is
   * let go (make-before-break): a reconnect in place leaves a window where
   * invites find no responders and messages to us, candidates among them, are
   * lost. The new connection is subscribed and flushed before it takes over;
   * the old one is then drained. A message that reaches us on both meanwhile
   * is handled twice, which every handler tolerates (reliable messages are
   * retried anyway). Concurrent calls share one replacement.
   */
  private replaceTransport(): Promise<void> {
    this.replacing ??= (async () => {
      const old = this.transport;
      if (!old) return;
      const opened = await this.openTransport();
      if (this.transport !== old) {
        // stop() won meanwhile: this connection is not needed.
        opened.unsubscribe();
        await opened.transport.close();
        return;
      }
      this.transport = opened.transport;
      this.unsubscribe = opened.unsubscribe;
      if (this._status === 'reconnecting') this.setStatus('connected');
      // The new node knows our subscription once flushed; the other nodes of a
      // cluster learn it over their routes a moment later. Until then a peer on
      // another node still reaches us only through the old connection: keep it
      // for MOVE_OVERLAP_MS (a candidate batch lost there failed 1 call in 140
      // set up during a rolling restart).
      setTimeout(() => void old.drain(), MOVE_OVERLAP_MS);
    })().finally(() => (this.replacing = undefined));
    return this.replacing;
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
    this.runs++;
    clearTimeout(this.refreshTimer);
    this.stopWatchingPage?.();
    this.stopWatchingPage = undefined;
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
    this.stopChoices?.();
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
    // Valid arguments, but a browser that cannot call: nothing changes (a call in progress stays).
    assertWebRtc('call()');
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
    reportCall(conv, this.report);
    void this.start().catch(() => {});
    return conv;
  }

  // ---- call history (docs/protocol.md, "Call history") ----------------------

  /** Our own call, reported to the history service (fire and forget). */
  private readonly report = (r: CallReport) => {
    const uid = this.session?.uid;
    if (uid) this.transport?.publish(eventSubject(uid), new TextEncoder().encode(JSON.stringify(r)));
  };

  private onNotice(m: InboundMessage) {
    const uid = this.session?.uid;
    const kind = m.subject.slice(m.subject.lastIndexOf('.') + 1);
    const rec = parseNotice(m.data);
    // Only the history service publishes here (docs/security.md); still, a record must be ours.
    if (!rec || (rec.direction === 'incoming' ? rec.callee : rec.caller) !== uid) return this.drop('bad_notice');
    if (kind === 'missed_call' && rec.outcome === 'missed') this.emit('missed_call', rec);
    else if (kind === 'call_record') this.emit('call_record', rec);
    else this.drop('bad_notice');
  }

  /** Ask the history service; its error code or silence is a WdVideoError. */
  private async askHistory(op: 'history' | 'seen', body: unknown): Promise<Uint8Array> {
    await this.start();
    const t = this.transport;
    if (!t || !this.session) throw new WdVideoError('not_connected', 'not connected');
    try {
      return await t.request(serviceSubject(this.session.uid, op), new TextEncoder().encode(JSON.stringify(body)), 5000);
    } catch (e) {
      throw new WdVideoError('history_unavailable', 'the call history service did not answer', { cause: e });
    }
  }

  /** Our call history, newest first: missed, answered (with duration), rejected and the rest. */
  async history(options: HistoryOptions = {}): Promise<CallRecord[]> {
    const { missedOnly, limit } = options ?? {};
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 200)) throw new WdVideoError('invalid_argument', `limit must be an integer from 1 to 200, got ${limit}`);
    const r = parseHistoryReply(await this.askHistory('history', { ...(missedOnly ? { missedOnly: true } : {}), ...(limit ? { limit } : {}) }));
    if ('error' in r) throw new WdVideoError('history_unavailable', `the call history service refused: ${r.error}`);
    return r.records;
  }

  /** Mark these calls (by callId) seen, or without an argument every call so far. */
  async markSeen(callIds?: string[]): Promise<void> {
    if (callIds !== undefined && !(Array.isArray(callIds) && callIds.length <= 200 && callIds.every(isId))) {
      throw new WdVideoError('invalid_argument', 'markSeen takes an array of at most 200 callIds (as history() gives them)');
    }
    const error = parseSeenReply(await this.askHistory('seen', callIds ? { callIds } : {}));
    if (error) throw new WdVideoError('history_unavailable', `the call history service refused: ${error}`);
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
    // Meant for another device of ours (`to`): that device acks and handles it. An ack
    // from us would tell the sender it arrived while that device is, say, reconnecting.
    if (msg.to !== undefined && msg.to !== this.deviceId) return this.drop('other_device');
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
    reportCall(conv, this.report);
    this.respond(reply, { t: 'ringing', callId: msg.callId });
    this.emit('called', conv);
    this.ringBeyondThePage(conv, msg);
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
      invite: (to, msg, hooks) => this.invite(to, msg, hooks),
      cancelPush: (to, callId, reason) => cancelPushRing(this.options.authUrl, this.signIn, { to, callId, reason }),
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

  /**
   * Ring `to`'s devices. A timeout (our own reconnect, a frozen node) is tried
   * again; so is "no responders" for NO_RESPONDERS_GRACE_MS (the callee's node
   * failing over). Then, when the token service can ring `to` by Web Push, the
   * call rings (hooks.pushed) and the invite is retried until the ring time
   * ends, so it reaches the page the notification opens once that has signed in.
   * Otherwise the callee is offline.
   */
  private async invite(to: string, msg: MessageOf<'invite'>, hooks?: InviteHooks): Promise<'ringing' | 'busy' | 'glare' | 'unavailable'> {
    const start = Date.now();
    const graceEnd = start + Math.min(NO_RESPONDERS_GRACE_MS, msg.ttl);
    /** Set once a push rang the callee: retry until then. */
    let ringEnd = 0;
    let wait = 100;
    for (let timeouts = 0; timeouts < 3; ) {
      const t = this.transport;
      if (!t) throw new WdVideoError('not_connected', 'not connected');
      try {
        const r = decodeReply(await t.request(subjectFor(to, this.session!.uid, 'invite'), encode(msg), 4000));
        if (r && r.callId === msg.callId && r.t !== 'ack') return r.t;
        timeouts++;
      } catch (e) {
        if (!(e instanceof NoRespondersError)) {
          timeouts++;
          continue;
        }
        if (ringEnd && (Date.now() >= ringEnd || !hooks?.active())) return 'unavailable';
        if (!ringEnd && Date.now() >= graceEnd) {
          const left = start + msg.ttl - Date.now();
          if (!hooks?.active() || left < 1000 || !(await this.ringByPush(to, msg, Math.floor(left)))) return 'unavailable';
          ringEnd = start + msg.ttl;
          hooks.pushed();
          wait = 250;
        }
        await new Promise((r) => setTimeout(r, Math.max(0, Math.min(wait, (ringEnd || graceEnd) - Date.now()))));
        wait = Math.min(wait * 2, ringEnd ? PUSH_RETRY_MS : 800);
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
