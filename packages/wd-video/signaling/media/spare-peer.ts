// One idle RTCPeerConnection, made while the client is signed in, that the
// next outgoing call takes (Chromium uses the pool for an offerer only: an
// answerer gathers afresh at its setLocalDescription). It is created with iceCandidatePoolSize 1, so the browser
// gathers at once (host candidates and the TURN allocations) and holds the
// result until the connection's first setLocalDescription. Without it a call
// waits for that gathering: Chromium starts the TURN phase of gathering 50 ms
// after the host phase (its allocator's step delay) and the allocation itself
// (Allocate, the 401 challenge, Allocate again) follows, so a relay call spent
// ~60 ms before it had a candidate to offer (measured with getStats and
// icecandidate times; bench/results/2026-11-30-setup-1.json has the totals).
// Nothing of what it gathers leaves the browser until a call sends it, and a
// call with iceTransportPolicy 'relay' narrows the spare to relay candidates
// before it offers anything.
import { webRtcSupported } from './webrtc-support.js';

export class SparePeer {
  private pc: RTCPeerConnection | undefined;
  /** The ICE servers (the session's own array) the spare was made with. */
  private servers: RTCIceServer[] | undefined;

  /** Whether a spare waits (diagnostics and tests). */
  get ready(): boolean {
    return this.pc !== undefined;
  }

  /** A new spare for these ICE servers, replacing any (new credentials make the old allocations useless). */
  fill(iceServers: RTCIceServer[]) {
    this.clear();
    // No TURN server, no slow gathering to win: host candidates take a few ms.
    if (!webRtcSupported() || iceServers.length === 0) return;
    try {
      this.pc = new RTCPeerConnection({ iceServers, bundlePolicy: 'max-bundle', iceCandidatePoolSize: 1 });
      this.servers = iceServers;
    } catch {
      // A browser that refuses the pool (or the servers) just calls without a spare.
    }
  }

  /** Like fill(), unless a spare for these servers is waiting already. */
  ensure(iceServers: RTCIceServer[]) {
    if (!this.pc || this.servers !== iceServers) this.fill(iceServers);
  }

  /**
   * A peer connection for a call with `config`: the spare when it was made
   * for the same ICE servers (narrowed to `config.iceTransportPolicy`), else a
   * new one. The spare is gone afterwards: ensure() makes the next.
   */
  take(config: RTCConfiguration): RTCPeerConnection {
    const pc = this.pc;
    const fits = pc !== undefined && this.servers === config.iceServers && pc.signalingState === 'stable';
    this.pc = undefined;
    this.servers = undefined;
    if (pc && fits) {
      try {
        const policy = config.iceTransportPolicy ?? 'all';
        // Relay only: the candidates gathered so far are filtered, host and srflx never surface.
        if (pc.getConfiguration().iceTransportPolicy !== policy) pc.setConfiguration({ ...pc.getConfiguration(), iceTransportPolicy: policy });
        if (pc.getConfiguration().iceTransportPolicy === policy) return pc;
      } catch {
        // Refused (an older browser): a fresh one below.
      }
    }
    pc?.close();
    return new RTCPeerConnection(config);
  }

  clear() {
    this.pc?.close();
    this.pc = undefined;
    this.servers = undefined;
  }
}
