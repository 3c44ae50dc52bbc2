// Just enough of RTCPeerConnection and MediaStream for the call logic to run in
// Node unit tests. It "connects" once both descriptions are set and a remote
// candidate was added, as ICE needs one. Real WebRTC is tested in Chromium
// (test/browser).
let n = 0;

class FakeTrack {
  enabled = true;
  readonly id = `t${++n}`;
  constructor(readonly kind: 'audio' | 'video') {}
  stop() {}
  getSettings() {
    return {};
  }
}

export class FakeMediaStream {
  readonly id = `s${++n}`;
  private tracks: FakeTrack[];
  constructor(tracks?: FakeTrack[]) {
    this.tracks = tracks ?? [new FakeTrack('audio'), new FakeTrack('video')];
  }
  getTracks() {
    return [...this.tracks];
  }
  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }
  addTrack(t: FakeTrack) {
    this.tracks.push(t);
  }
  removeTrack(t: FakeTrack) {
    this.tracks = this.tracks.filter((x) => x !== t);
  }
}

class FakeTransceiver {
  direction = 'recvonly';
  readonly receiver: { track: FakeTrack };
  readonly sender = {
    track: null as FakeTrack | null,
    replaceTrack: async (t: FakeTrack | null) => void (this.sender.track = t),
    setStreams: () => {},
    getParameters: () => ({ encodings: [{}] }),
    setParameters: async () => {},
  };
  constructor(kind: 'audio' | 'video') {
    this.receiver = { track: new FakeTrack(kind) };
  }
}

export class FakePeerConnection {
  static instances: FakePeerConnection[] = [];
  localDescription: { type: string; sdp: string } | null = null;
  remoteDescription: { type: string; sdp: string } | null = null;
  iceConnectionState = 'new';
  closed = false;
  candidates: unknown[] = [];
  onicecandidate: ((e: { candidate: unknown }) => void) | null = null;
  ontrack: ((e: unknown) => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  onicecandidateerror: ((e: unknown) => void) | null = null;
  private transceivers: FakeTransceiver[] = [];
  constructor(readonly config: RTCConfiguration) {
    FakePeerConnection.instances.push(this);
  }
  /** One audio and one video transceiver once the offer is applied (the callee's pre-warm uses them). */
  getTransceivers() {
    return this.transceivers;
  }
  addTrack(track: FakeTrack) {
    return { track, replaceTrack: async () => {}, getParameters: () => ({ encodings: [{}] }), setParameters: async () => {} };
  }
  async createOffer() {
    return { type: 'offer', sdp: `v=0\r\no=fake ${++n}\r\n` };
  }
  async createAnswer() {
    return { type: 'answer', sdp: `v=0\r\no=fake-answer ${++n}\r\n` };
  }
  async setLocalDescription(d: { type: string; sdp: string }) {
    this.localDescription = d;
    // A host candidate shortly after, as a browser would gather one.
    setTimeout(() => this.onicecandidate?.({ candidate: { candidate: `candidate:${n} 1 udp 1 127.0.0.1 5000 typ host`, sdpMid: '0', sdpMLineIndex: 0 } }), 1);
    this.maybeConnect();
  }
  async setRemoteDescription(d: { type: string; sdp: string }) {
    this.remoteDescription = d;
    if (d.type === 'offer' && !this.transceivers.length) this.transceivers = [new FakeTransceiver('audio'), new FakeTransceiver('video')];
    // Chrome fires ontrack inside setRemoteDescription, before its promise resolves.
    this.ontrack?.({ streams: [new FakeMediaStream()], track: new FakeTrack('video') });
    this.maybeConnect();
  }
  async addIceCandidate(c: unknown) {
    if (!this.remoteDescription) throw new Error('InvalidStateError: no remote description');
    this.candidates.push(c);
    this.maybeConnect();
  }
  private maybeConnect() {
    if (this.localDescription && this.remoteDescription && this.candidates.length && this.iceConnectionState === 'new') {
      setTimeout(() => {
        if (this.closed) return;
        this.setIce('connected');
      }, 2);
    }
  }
  setIce(s: string) {
    this.iceConnectionState = s;
    this.oniceconnectionstatechange?.();
  }
  getConfiguration() {
    return this.config;
  }
  setConfiguration(c: RTCConfiguration) {
    Object.assign(this.config, c);
  }
  async getStats() {
    return new Map();
  }
  close() {
    this.closed = true;
  }
}

/** Install the fakes as globals (Node has no WebRTC). */
export function installFakeWebRTC() {
  const g = globalThis as Record<string, unknown>;
  g.RTCPeerConnection = FakePeerConnection;
  g.MediaStream = FakeMediaStream;
}
