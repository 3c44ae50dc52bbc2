// The RTCPeerConnection wrapper: local tracks, offer/answer, candidate trickle
// (tiny batches so set-up stays fast) and buffering of remote candidates that
// arrive before the remote description.
import type { CallTimers, TimerHandle } from './call-timers.js';
import { GatheringLog } from './media/gathering.js';
import type { LocalStream } from './media/local-stream.js';
import type { IceCandidateLine } from './protocol.js';

export interface PeerHandlers {
  candidates(batch: IceCandidateLine[]): void;
  track(stream: MediaStream): void;
  iceState(state: RTCIceConnectionState): void;
  /** A candidate could not be gathered (e.g. TURN 401): diagnostics only. */
  candidateError?(e: RTCPeerConnectionIceErrorEvent): void;
}

/** Candidates gathered within this window travel in one message. */
const BATCH_MS = 5;

export class Peer {
  readonly pc: RTCPeerConnection;
  private outbox: IceCandidateLine[] = [];
  private flushTimer: TimerHandle | undefined;
  private held = true;
  private inbox: IceCandidateLine[] = [];
  private senders: RTCRtpSender[] = [];
  private local?: LocalStream;
  /** What the other side sends, as one stream (see ontrack). */
  private remote?: MediaStream;
  /** Candidates and errors while gathering, for the ice_failed message. */
  readonly gathering = new GatheringLog();
  /** The prepared answer's setLocalDescription (resolved when there is none), and whether it failed. */
  answerApplied: Promise<void> = Promise.resolve();
  answerFailed = false;

  constructor(
    private readonly timers: CallTimers,
    config: RTCConfiguration,
    private readonly h: PeerHandlers,
  ) {
    this.pc = new RTCPeerConnection(config);
    this.pc.onicecandidate = (e) => {
      if (!e.candidate || !e.candidate.candidate) return; // end-of-candidates needs no message
      this.gathering.candidate();
      this.outbox.push({ candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid, sdpMLineIndex: e.candidate.sdpMLineIndex });
      this.scheduleFlush();
    };
    this.pc.ontrack = (e) => {
      // One stream for the call: the sender's stream when it names one (msid),
      // else ours, with every track added as it arrives.
      const first = !this.remote;
      this.remote ??= e.streams[0] ?? new MediaStream();
      if (!this.remote.getTracks().includes(e.track)) this.remote.addTrack(e.track);
      if (first) h.track(this.remote);
    };
    this.pc.oniceconnectionstatechange = () => h.iceState(this.pc.iceConnectionState);
    this.pc.onicecandidateerror = (e) => {
      this.gathering.error(e as RTCPeerConnectionIceErrorEvent);
      h.candidateError?.(e as RTCPeerConnectionIceErrorEvent);
    };
  }

  addLocal(local: LocalStream) {
    this.local = local;
    for (const t of local.stream.getTracks()) {
      const s = this.pc.addTrack(t, local.stream);
      this.senders.push(s);
      local.addSender(s);
    }
  }

  /**
   * Caller, first offer: the SDP as soon as createOffer made it, and `applied`,
   * which settles once it is our local description (gathering starts there).
   * setLocalDescription of an unchanged offer leaves that SDP as it is
   * (candidates come by trickle), so the invite need not wait for it.
   */
  async makeOffer(): Promise<{ sdp: string; applied: Promise<void> }> {
    const offer = await this.pc.createOffer({ offerToReceiveAudio: true, offerToReceiveVideo: true });
    return { sdp: offer.sdp!, applied: this.pc.setLocalDescription(offer) };
  }

  async createOffer(iceRestart = false): Promise<string> {
    const offer = await this.pc.createOffer({ iceRestart, offerToReceiveAudio: true, offerToReceiveVideo: true });
    await this.pc.setLocalDescription(offer);
    return this.pc.localDescription!.sdp;
  }

  /** Answerer side: take the offer, return the answer SDP. */
  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    await this.drainInbox();
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    return this.pc.localDescription!.sdp;
  }

  /**
   * Answerer, before the user accepts (pre-warm): apply the offer and make the
   * answer with no local media yet. Gathering starts (TURN allocations too);
   * candidates stay held. attachLocal() adds the tracks later, without
   * renegotiation. Resolves with the answer SDP once made; it becomes our
   * local description meanwhile (`answerApplied`), which an accept() that
   * comes at once need not wait for.
   */
  async prepareAnswer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    // As answer() does: candidates that came before the description are placed now.
    await this.drainInbox();
    // One stream id on every sender: the other side gets one MediaStream with both tracks.
    const msid = new MediaStream();
    for (const t of this.pc.getTransceivers()) {
      t.direction = 'sendrecv';
      t.sender.setStreams?.(msid);
    }
    const answer = await this.pc.createAnswer();
    this.answerApplied = this.pc.setLocalDescription(answer);
    this.answerApplied.catch(() => (this.answerFailed = true));
    return answer.sdp!;
  }

  /**
   * The prepared answer as it stands now, with every candidate gathered while
   * it rang (the browser adds them to the local description): the caller
   * places them as it applies the answer, a hop and an addIceCandidate round
   * each sooner than from `cand` messages. Those candidates leave the outbox;
   * later ones trickle as usual once released. Undefined when that SDP would
   * be longer than `maxLength` (the wire's limit): then all of them trickle.
   */
  preparedAnswerWithCandidates(maxLength: number): string | undefined {
    // Undefined also while it is still being applied: no candidate yet then.
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp || sdp.length > maxLength) return undefined;
    this.outbox = this.outbox.filter((c) => !sdp.includes(`a=${c.candidate}\r\n`));
    return sdp;
  }

  /** The local tracks onto the prepared transceivers, one per kind (replaceTrack: no renegotiation). */
  async attachLocal(local: LocalStream) {
    this.local = local;
    const free = local.stream.getTracks();
    await Promise.all(
      this.pc.getTransceivers().map(async (t) => {
        const i = free.findIndex((x) => x.kind === t.receiver.track.kind);
        if (i < 0) return;
        const [track] = free.splice(i, 1);
        await t.sender.replaceTrack(track!);
        this.senders.push(t.sender);
        local.addSender(t.sender);
      }),
    );
  }

  async setAnswer(sdp: string) {
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    await this.drainInbox();
  }

  async addRemoteCandidates(c: IceCandidateLine[]) {
    if (!this.pc.remoteDescription) {
      // Early candidates wait for the description; bounded against floods.
      this.inbox.push(...c.slice(0, Math.max(0, 200 - this.inbox.length)));
      return;
    }
    await this.addAll(c);
  }

  private async drainInbox() {
    const c = this.inbox;
    this.inbox = [];
    await this.addAll(c);
  }

  /** RTCPeerConnection queues them in order; handing them over at once saves a round of the event loop each. */
  private async addAll(c: IceCandidateLine[]) {
    await Promise.all(c.map((x) => this.pc.addIceCandidate(x).catch(() => {})));
  }

  /** Outgoing candidates are held until the peer can place them (its call exists). */
  release() {
    this.held = false;
    // What was held goes at once, right behind the answer (or `taken`) that released it.
    this.flush();
  }

  private scheduleFlush() {
    if (this.held || this.flushTimer || this.outbox.length === 0) return;
    this.flushTimer = this.timers.timeout(() => this.flush(), BATCH_MS);
  }

  private flush() {
    this.timers.clear(this.flushTimer);
    this.flushTimer = undefined;
    while (this.outbox.length) this.h.candidates(this.outbox.splice(0, 16));
  }

  setIceServers(iceServers: RTCIceServer[]) {
    try {
      this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
    } catch {
      // Some browsers refuse changes after gathering started; the next call picks them up.
    }
  }

  close() {
    this.timers.clear(this.flushTimer);
    for (const s of this.senders) this.local?.removeSender(s);
    this.pc.onicecandidate = this.pc.ontrack = this.pc.oniceconnectionstatechange = this.pc.onicecandidateerror = null;
    this.pc.close();
  }
}
