// One call with one remote user (Wilddog's Conversation). Owns the state (moved
// only through setState and the transition table, docs/states.md), the peer
// connection, the offer/answer exchange and the ring timers; the media path's
// timers (ICE bound, restarts, stats) are in media-watch.ts. It talks to the
// network only through the CallLink its VideoClient gives it.
import type { CallTimers, TimerHandle } from './call-timers.js';
import { Emitter } from './emitter.js';
import { WdVideoError } from './errors.js';
import { LocalStream, toLocalStream } from './media/local-stream.js';
import { RemoteStream } from './media/remote-stream.js';
import type { MediaStats } from './media/stats.js';
import { assertWebRtc, webRtcSupported } from './media/webrtc-support.js';
import { MediaWatch } from './media-watch.js';
import { Peer } from './peer.js';
import { LIMITS, randomId, type Message, type MessageOf } from './protocol.js';
import { DEV_MODE } from '#dev-mode';
import { canMove, CallStatus, CloseReason, isRinging, type CallState } from './state.js';

export interface ConversationEvents {
  /** Caller: what became of the invite. */
  response(status: CallStatus): void;
  /** The remote side's media arrived. */
  stream_received(stream: RemoteStream): void;
  /** The call ended; `reason` says why. Fired once. */
  closed(reason: CloseReason): void;
  /** Every state change. */
  state(state: CallState, previous: CallState): void;
  error(error: WdVideoError): void;
  /** What we send, every 2 s while connected. */
  local_stats(stats: MediaStats): void;
  /** What we receive, every 2 s while connected. */
  remote_stats(stats: MediaStats): void;
}

export interface CallOptions {
  /** 'relay' forces media through TURN. */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Custom data for the callee (JSON-serialisable, at most 4 KB). */
  data?: unknown;
  /** Caller's ring timeout in ms (default: the client's, 30 s). */
  timeout?: number;
}

/** How a caller's invite tells its conversation about Web Push (client.ts invite()). */
export interface InviteHooks {
  /** The callee had no live device and a push now rings it: the call is `ringing`. */
  pushed(): void;
  /** Whether the invite is still wanted (the call still rings); retrying stops when not. */
  active(): boolean;
}

/** What a Conversation needs from its client. */
export interface CallLink {
  readonly uid: string;
  readonly deviceId: string;
  readonly settings: { timeout: number; iceTimeout: number; iceRestartTimeout: number; iceRestarts: number; statsInterval: number };
  ready(): Promise<void>;
  iceServers(): RTCIceServer[];
  send(to: string, msg: Message): void;
  sendReliable(to: string, msg: Message): Promise<boolean>;
  /** Resolves with the reply type, 'unavailable' on no responders. */
  invite(to: string, msg: MessageOf<'invite'>, hooks?: InviteHooks): Promise<'ringing' | 'busy' | 'glare' | 'unavailable'>;
  /** Withdraw the push that rang `to` for this call (its notification goes; `reason` picks what is left behind). */
  cancelPush?(to: string, callId: string, reason: 'cancelled' | 'timeout' | 'answered'): void;
  released(conv: Conversation): void;
  /** Every timer of a call is set here, so the client can count the live ones (diagnostics.callTimers). */
  readonly timers: CallTimers;
  /** A move the state table forbids happened (production builds count it; development builds throw). */
  illegalTransition(from: CallState, to: CallState): void;
}

const PEER_CLOSE_REASONS: ReadonlySet<string> = new Set(Object.values(CloseReason));

export class Conversation extends Emitter<ConversationEvents> {
  callId: string;
  readonly direction: 'outgoing' | 'incoming';
  /** The caller's custom data (incoming calls). */
  readonly data: unknown;
  readonly relay: boolean;
  localStream: LocalStream | undefined;
  remoteStream: RemoteStream | undefined;
  closeReason: CloseReason | undefined;
  private _state: CallState;
  private peer: Peer | undefined;
  /** The remote device that holds the call, once known. */
  private remoteDev: string | undefined;
  private offerSdp: string | undefined;
  private earlyCandidates: MessageOf<'cand'>['c'] = [];
  /** The answer made while it rang (pre-warm); undefined when there is none or it failed. */
  private prepared: Promise<string | undefined> | undefined;
  private ringTimer: TimerHandle | undefined;
  /** A Web Push rings the callee for this call and has not been withdrawn yet. */
  private pushed = false;
  /** ICE bound, ICE restarts and stats (media-watch.ts). */
  private readonly media: MediaWatch;
  private readonly ringTimeout: number;
  private markClosed!: () => void;
  /**
   * Settles when the call ends. Chrome never settles a pending
   * setRemoteDescription/createAnswer of a closed RTCPeerConnection, so every
   * await on the peer races this, or accept() could hang forever.
   */
  private readonly whenClosed = new Promise<undefined>((ok) => (this.markClosed = () => ok(undefined)));

  /** @internal Created by VideoClient.call() or by an incoming invite. */
  constructor(
    private readonly link: CallLink,
    readonly remoteUid: string,
    init:
      | { direction: 'outgoing'; localStream: LocalStream; options: CallOptions }
      | { direction: 'incoming'; invite: MessageOf<'invite'> },
  ) {
    super();
    this.media = new MediaWatch(link.settings, link.timers, {
      state: () => this._state,
      peerConnection: () => this.peer?.pc,
      connected: () => this.setState('connected'),
      lost: () => void this.setState('reconnecting'),
      failed: (message) => {
        const why = this.peer?.gathering.explain(this.link.iceServers(), this.relay);
        this.emit('error', new WdVideoError('ice_failed', why ? `${message}: ${why}` : message));
        this.finish('ice_failed', true);
      },
      restart: () => this.restartIce(),
      stats: (sample) => {
        this.emit('local_stats', sample.local);
        this.emit('remote_stats', sample.remote);
      },
    });
    this.direction = init.direction;
    if (init.direction === 'outgoing') {
      this.callId = randomId();
      this.localStream = init.localStream;
      this.relay = init.options.iceTransportPolicy === 'relay';
      this.data = init.options.data;
      this.ringTimeout = init.options.timeout ?? link.settings.timeout;
      this._state = 'calling';
      this.ringTimer = link.timers.timeout(() => this.onRingTimeout(), this.ringTimeout);
      // Listeners are attached right after call() returns; dial on the next tick.
      queueMicrotask(() => void this.dial(init.options.data));
    } else {
      const inv = init.invite;
      this.callId = inv.callId;
      this.remoteDev = inv.dev;
      this.relay = inv.relay;
      this.data = inv.data;
      this.offerSdp = inv.sdp;
      // However long the caller asks, it rings here at most LIMITS.ring (ring-bombing: one
      // invite must not keep us ringing, and so busy for everyone else, for ten minutes).
      this.ringTimeout = Math.min(inv.ttl, LIMITS.ring);
      this._state = 'incoming';
      // The caller's timer decides; this one only cleans up if its cancel was lost, or it asked too much.
      this.ringTimer = link.timers.timeout(() => this.finish('timeout', false), this.ringTimeout + 5000);
      queueMicrotask(() => this.prewarm());
    }
  }

  get state(): CallState {
    return this._state;
  }
  /** The underlying RTCPeerConnection (read-only use: stats, advanced tuning). */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.peer?.pc;
  }

  private get ended(): boolean {
    return this._state === 'closed';
  }

  /** Await `p` unless the call ends first (then undefined). */
  private untilClosed<T>(p: Promise<T>): Promise<T | undefined> {
    return Promise.race([p, this.whenClosed]);
  }

  /** The only way the state changes: along the table in state.ts, or it is a bug. */
  private setState(next: CallState): boolean {
    const prev = this._state;
    if (prev === next) return false;
    if (!canMove(prev, next)) {
      if (DEV_MODE) throw new WdVideoError('invalid_state', `illegal transition ${prev} -> ${next} (call ${this.callId})`);
      this.link.illegalTransition(prev, next);
      this.emit('error', new WdVideoError('invalid_state', `illegal transition ${prev} -> ${next}`));
      return false;
    }
    this._state = next;
    this.emit('state', next, prev);
    return true;
  }

  private newPeer(): Peer {
    const peer = new Peer(
      this.link.timers,
      { iceServers: this.link.iceServers(), iceTransportPolicy: this.relay ? 'relay' : 'all', bundlePolicy: 'max-bundle' },
      {
        candidates: (c) => this.link.send(this.remoteUid, { type: 'cand', callId: this.callId, dev: this.link.deviceId, ...this.target(), c }),
        track: (s) => {
          this.remoteStream = new RemoteStream(s);
          // On the callee the track arrives while it rings (pre-warm) or inside
          // accept(), before the seed's accept(...).then(conv => conv.on('stream_received', ...))
          // can listen: answerOffer() announces it once the answer is through.
          if (this._state !== 'answering' && this._state !== 'incoming') this.emit('stream_received', this.remoteStream);
        },
        iceState: (s) => this.onIceState(s),
      },
    );
    if (this.localStream) peer.addLocal(this.localStream);
    return peer;
  }

  private target() {
    return this.remoteDev ? { to: this.remoteDev } : {};
  }

  // ---- caller -------------------------------------------------------------

  private async dial(data: unknown) {
    try {
      // Signed in first: the peer connection needs the session's TURN servers.
      await this.untilClosed(this.link.ready());
      if (this.ended) return;
      if (this.remoteUid === this.link.uid) return this.refused(CallStatus.Unavailable, 'unavailable');
      this.peer = this.newPeer();
      const offer = await this.untilClosed(this.peer.makeOffer());
      if (this.ended || offer === undefined) return;
      // The invite leaves while the browser applies our offer: the callee starts
      // its pre-warm (and its gathering) that much sooner.
      const invited = this.link.invite(this.remoteUid, {
        type: 'invite',
        callId: this.callId,
        dev: this.link.deviceId,
        sdp: offer.sdp,
        relay: this.relay,
        // The wire wants whole ms (a timeout of 0.3 * 1000 is 300.00000000000006).
        ttl: Math.ceil(this.ringTimeout),
        ...(data !== undefined ? { data } : {}),
      }, {
        pushed: () => {
          this.pushed = true;
          if (this._state === 'calling') this.setState('ringing');
        },
        active: () => this.direction === 'outgoing' && isRinging(this._state),
      });
      invited.catch(() => {}); // awaited below, unless the offer fails first
      try {
        await this.untilClosed(offer.applied);
      } catch (e) {
        // The callee may ring already: cancel it (finish notifies).
        if (this.ended) return;
        this.emit('error', new WdVideoError('media_failed', 'our offer could not be applied', { cause: e }));
        return this.finish('media_failed', true);
      }
      if (this.ended) return;
      const reply = await invited;
      // Answered meanwhile (the answer overtook the reply, or glare made us answer theirs).
      if (this._state !== 'calling') return;
      // Our candidates stay here until an answer names the device that took the
      // call (onAnswer): no ringing device of the callee learns our addresses,
      // and a second device that answers too late cannot run ICE checks against
      // us (its checks made ICE pair with it while DTLS waited for the winner).
      if (reply === 'ringing') this.setState('ringing');
      else if (reply === 'busy') this.refused(CallStatus.Busy, 'busy');
      else if (reply === 'unavailable') this.refused(CallStatus.Unavailable, 'unavailable');
      // 'glare': the callee is calling us with the winning callId; its invite adopts this conversation.
    } catch (e) {
      if (this.ended) return;
      const err = e instanceof WdVideoError ? e : new WdVideoError('connect_failed', 'could not place the call', { cause: e });
      this.emit('error', err);
      this.finish('signaling_lost', false);
    }
  }

  private refused(status: CallStatus, reason: CloseReason) {
    this.emit('response', status);
    // Other devices of the callee may still ring: stop them.
    this.link.sendReliable(this.remoteUid, { type: 'cancel', callId: this.callId, dev: this.link.deviceId, reason });
    this.finish(reason, false);
  }

  private onRingTimeout() {
    if (this.direction !== 'outgoing' || !isRinging(this._state)) return;
    this.emit('response', CallStatus.Timeout);
    void this.link.sendReliable(this.remoteUid, { type: 'cancel', callId: this.callId, dev: this.link.deviceId, reason: 'timeout' });
    this.finish('timeout', false);
  }

  /** Glare: the remote user called us with the winning callId; answer it in place of our own invite. */
  async adopt(invite: MessageOf<'invite'>) {
    this.peer?.close();
    this.peer = undefined;
    this.callId = invite.callId;
    this.remoteDev = invite.dev;
    this.offerSdp = invite.sdp;
    await this.answerOffer();
    if (!this.ended) this.emit('response', CallStatus.Accepted);
  }

  // ---- callee -------------------------------------------------------------

  /** Answer an incoming call with a LocalStream or a raw MediaStream. */
  async accept(localStream: LocalStream | MediaStream): Promise<Conversation> {
    if (this.direction !== 'incoming' || this._state !== 'incoming') {
      throw new WdVideoError('invalid_state', `cannot accept a call in state "${this._state}"`);
    }
    if (!localStream) throw new WdVideoError('invalid_argument', 'accept() needs a LocalStream or MediaStream');
    // Before anything changes: the call keeps ringing (another device of ours may take it; reject() declines it).
    assertWebRtc('accept()');
    this.localStream = toLocalStream(localStream);
    await this.answerOffer();
    if (this.ended) throw new WdVideoError('invalid_state', `the call ended: ${this.closeReason}`);
    return this;
  }

  /**
   * Answering (accept(), or glare's adopt()): stop ringing, make the answer,
   * deliver it (acknowledged), then leave `answering`. Media that arrived
   * meanwhile is announced a task after accept() resolves, so listeners added
   * in its .then() hear it.
   */
  private async answerOffer() {
    this.link.timers.clear(this.ringTimer);
    this.setState('answering');
    await this.deliverAnswer();
    if (this.ended) return;
    if (this._state === 'answering') this.setState('connecting');
    if (this.remoteStream) {
      this.link.timers.timeout(() => {
        if (!this.ended && this.remoteStream) this.emit('stream_received', this.remoteStream);
      });
    }
  }

  /**
   * Pre-warm while it rings: a person takes seconds to click Accept. Apply the
   * offer, make the answer and gather candidates (TURN allocations included),
   * all held here: nothing reaches the caller, so no address of ours leaks to
   * a caller we have not accepted. accept() then attaches the tracks and sends.
   */
  private prewarm() {
    if (this._state !== 'incoming' || !webRtcSupported()) return;
    const peer = this.newPeer();
    this.peer = peer;
    this.prepared = this.untilClosed(peer.prepareAnswer(this.offerSdp!)).catch(() => undefined);
  }

  /**
   * Our answer: the pre-warmed one (with the candidates gathered while it
   * rang; its tracks are attached after it leaves), else made now with the
   * tracks.
   */
  private async makeAnswer(): Promise<{ sdp: string; attach: boolean } | undefined> {
    const prepared = await this.prepared;
    this.prepared = undefined;
    if (this.ended) return undefined;
    if (prepared !== undefined && this.peer && !this.peer.answerFailed) return { sdp: this.peer.preparedAnswerWithCandidates(LIMITS.sdp) ?? prepared, attach: true };
    this.peer?.close();
    this.peer = this.newPeer();
    const sdp = await this.untilClosed(this.peer.answer(this.offerSdp!));
    return sdp === undefined ? undefined : { sdp, attach: false };
  }

  private async deliverAnswer() {
    try {
      const answer = await this.makeAnswer();
      if (this.ended || answer === undefined || !this.peer) return;
      this.media.armBound();
      // The answer leaves first: the caller's ICE cannot start without it, and
      // the caller's early candidates can be placed here meanwhile.
      const sent = this.link.sendReliable(this.remoteUid, { type: 'answer', callId: this.callId, dev: this.link.deviceId, ...this.target(), sdp: answer.sdp });
      this.peer.release();
      if (this.earlyCandidates.length) void this.peer.addRemoteCandidates(this.earlyCandidates.splice(0));
      // The pre-warmed answer's transceivers take our tracks now (replaceTrack: the
      // answer does not change). No media flows before ICE and DTLS, which take longer.
      if (answer.attach) await this.untilClosed(this.peer.attachLocal(this.localStream!));
      // A prepared answer accepted at once may still be becoming our local description.
      await this.untilClosed(this.peer.answerApplied);
      if (!(await sent) && this._state === 'answering') this.finish('signaling_lost', false);
    } catch (e) {
      this.emit('error', new WdVideoError('media_failed', 'could not answer the call', { cause: e }));
      this.finish('media_failed', true);
    }
  }

  /** Decline an incoming call; the caller hears REJECTED. */
  reject() {
    if (this._state !== 'incoming') return;
    void this.link.sendReliable(this.remoteUid, { type: 'reject', callId: this.callId, dev: this.link.deviceId, ...this.target() });
    this.finish('rejected', false);
  }

  // ---- both ---------------------------------------------------------------

  /** Cancel a ringing call or end a live one. Safe to call more than once. */
  close() {
    if (this.ended) return;
    if (this._state === 'incoming') return this.reject();
    this.finish(isRinging(this._state) ? 'cancelled' : 'hangup', true);
  }

  /** @internal The client answered this incoming call for a call() back to its caller. */
  emitResponse(status: CallStatus) {
    if (!this.ended) this.emit('response', status);
  }

  /** @internal Ended by the client (a new call replaces this one, page unload, sign-out). */
  end(reason: CloseReason) {
    // Signing out or leaving the page while our call rings is a cancel, as close() would say.
    this.finish(reason === 'hangup' && isRinging(this._state) ? 'cancelled' : reason, this._state !== 'incoming');
  }

  /** @internal Every message for this call comes through here, already validated. */
  handle(msg: Message) {
    if (msg.to && msg.to !== this.link.deviceId) return;
    // Once the remote device is known (the caller's, or the callee device whose
    // answer we took), only it speaks for this call. A second callee device that
    // answered too late still trickles candidates: a path to it passes ICE but
    // never DTLS, as its fingerprint is not in the answer we applied.
    if (this.remoteDev && msg.dev !== this.remoteDev) return;
    switch (msg.type) {
      case 'answer':
        return void this.onAnswer(msg);
      case 'cand':
        if (this.peer && this._state !== 'incoming') void this.peer.addRemoteCandidates(msg.c);
        else this.earlyCandidates.push(...msg.c.slice(0, Math.max(0, 200 - this.earlyCandidates.length)));
        return;
      case 'reject':
        if (this.direction === 'outgoing' && isRinging(this._state)) this.refused(CallStatus.Rejected, 'rejected');
        return;
      case 'busy':
        if (this.direction === 'outgoing' && isRinging(this._state)) this.refused(CallStatus.Busy, 'busy');
        return;
      case 'cancel':
        // Only the caller of this callId cancels it, also when it crosses our accept().
        this.finish(peerReason(msg.reason, 'cancelled'), false);
        return;
      case 'taken':
        if (this.direction === 'incoming' && msg.by !== this.link.deviceId) this.finish('answered_elsewhere', false);
        return;
      case 'hangup': {
        const reason = peerReason(msg.reason, 'hangup');
        // The peer's ICE bound fired first, but the cause may be ours (say, a browser that
        // skipped our TURN servers): then this side, where it can be fixed, hears why too.
        const why = reason === 'ice_failed' ? this.peer?.gathering.explain(this.link.iceServers(), this.relay) : undefined;
        if (why) this.emit('error', new WdVideoError('ice_failed', `the other side found no media path: ${why}`));
        this.finish(reason, false);
        return;
      }
      case 'reoffer':
        return void this.onReoffer(msg.sdp);
      case 'reanswer':
        if (this.peer) void this.peer.setAnswer(msg.sdp).catch(() => {});
        return;
    }
  }

  private async onAnswer(msg: MessageOf<'answer'>) {
    // Only a ringing call of ours takes an answer; a second device that answered
    // too late stops when it sees `taken`.
    if (this.direction !== 'outgoing' || !this.peer || !isRinging(this._state)) return;
    this.remoteDev = msg.dev;
    this.link.timers.clear(this.ringTimer);
    this.withdrawPush('answered');
    // Applying the answer starts ICE: begin it before anything else here.
    const applied = this.peer.setAnswer(msg.sdp);
    void this.link.sendReliable(this.remoteUid, { type: 'taken', callId: this.callId, dev: this.link.deviceId, by: msg.dev });
    this.setState('connecting');
    this.peer.release();
    this.emit('response', CallStatus.Accepted);
    this.media.armBound();
    try {
      await this.untilClosed(applied);
    } catch (e) {
      this.emit('error', new WdVideoError('media_failed', 'the answer could not be applied', { cause: e }));
      this.finish('media_failed', true);
    }
  }

  private onIceState(s: RTCIceConnectionState) {
    // While it rings the pre-warmed peer knows no candidate of the caller's: nothing to act on.
    if (this.ended || this._state === 'incoming') return;
    this.media.onIceState(s);
  }

  /** One ICE restart attempt: fresh TURN credentials, and a new offer from the caller. */
  private async restartIce() {
    if (!this.peer) return;
    this.peer.setIceServers(this.link.iceServers());
    // Only the caller offers, so the two sides never restart against each other.
    if (this.direction !== 'outgoing') return;
    try {
      const sdp = await this.untilClosed(this.peer.createOffer(true));
      if (sdp === undefined) return;
      void this.link.sendReliable(this.remoteUid, { type: 'reoffer', callId: this.callId, dev: this.link.deviceId, ...this.target(), sdp });
    } catch {
      // The next attempt tries again.
    }
  }

  private async onReoffer(sdp: string) {
    if (this.direction !== 'incoming' || !this.peer || this.ended) return;
    try {
      const answer = await this.untilClosed(this.peer.answer(sdp));
      if (answer === undefined) return;
      void this.link.sendReliable(this.remoteUid, { type: 'reanswer', callId: this.callId, dev: this.link.deviceId, ...this.target(), sdp: answer });
    } catch {
      // A broken restart offer is ignored; the caller's bound ends the call.
    }
  }

  /** The callee's notifications go once the call stops ringing: answered (here or elsewhere), declined, or given up. */
  private withdrawPush(reason: 'cancelled' | 'timeout' | 'answered') {
    if (!this.pushed) return;
    this.pushed = false;
    this.link.cancelPush?.(this.remoteUid, this.callId, reason);
  }

  /** Tear down once; tell the peer when `notify`. */
  private finish(reason: CloseReason, notify: boolean) {
    if (this.ended) return;
    if (notify) {
      // Our own call, still unanswered, is cancelled; anything answered is hung up.
      const type = this.direction === 'outgoing' && isRinging(this._state) ? 'cancel' : 'hangup';
      void this.link.sendReliable(this.remoteUid, { type, callId: this.callId, dev: this.link.deviceId, ...this.target(), reason });
    }
    this.link.timers.clear(this.ringTimer);
    this.withdrawPush(reason === 'timeout' ? 'timeout' : reason === 'rejected' || reason === 'busy' ? 'answered' : 'cancelled');
    this.media.stop();
    this.closeReason = reason;
    this.markClosed();
    this.peer?.close();
    this.setState('closed');
    this.link.released(this);
    this.emit('closed', reason);
  }
}

function peerReason(r: string, fallback: CloseReason): CloseReason {
  return PEER_CLOSE_REASONS.has(r) ? (r as CloseReason) : fallback;
}
