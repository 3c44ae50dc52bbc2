// Runs in headless Chromium (bundled by bench/setup.mjs). One iteration of each
// contender per call from Node: A wd-video VideoClient pair, B two bare
// RTCPeerConnections in memory (the floor), C PeerJS with its own server.
// Every iteration reuses the camera streams (640x480 for all) and measures
// from the moment the call starts (t0: nothing of the call exists yet, also
// for the floor) to the same milestones for every contender, all on the
// caller's own RTCPeerConnection:
//   iceConnected  iceConnectionState 'connected'/'completed' (ICE)
//   connected     connectionState 'connected' (ICE and DTLS)
//   firstFrame    the first requestVideoFrameCallback of the caller's remote <video>
import { VideoClient } from 'wd-video';
// PeerJS: its published browser bundle (dist/peerjs.min.js, a classic script setting window.peerjs).
const Peer = (...a) => new window.peerjs.Peer(...a);

const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let streams;
async function camera() {
  streams ??= await Promise.all([0, 1].map(() => navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } })));
  return streams;
}
function withTimeout(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, fail) => (t = setTimeout(() => fail(new Error(`${what}: timeout ${ms} ms`)), ms)))]).finally(() => clearTimeout(t));
}
/** Time of the first decoded frame of `stream` in a fresh muted <video>. */
function firstFrame(stream) {
  const v = document.createElement('video');
  v.muted = true;
  v.playsInline = true;
  v.srcObject = stream;
  document.body.append(v);
  const done = new Promise((ok) => v.requestVideoFrameCallback(() => ok(now())));
  v.play().catch(() => {});
  return done.finally(() => {
    v.srcObject = null;
    v.remove();
  });
}
/** Resolves when `pc` reaches connectionState 'connected'. */
function pcConnected(pc) {
  return new Promise((ok, fail) => {
    const check = () => {
      if (pc.connectionState === 'connected') ok(now());
      else if (pc.connectionState === 'failed') fail(new Error('connection failed'));
    };
    pc.addEventListener('connectionstatechange', check);
    check();
  });
}
/** Resolves when `pc`'s ICE connects. */
function iceConnected(pc) {
  return new Promise((ok) => {
    const check = () => (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') && ok(now());
    pc.addEventListener('iceconnectionstatechange', check);
    check();
  });
}
/** The caller's milestones on its RTCPeerConnection, once `getPc()` returns one. */
async function milestones(getPc) {
  let pc = getPc();
  while (!pc) {
    await new Promise((r) => setTimeout(r, 0));
    pc = getPc();
  }
  return Promise.all([iceConnected(pc), pcConnected(pc)]);
}

// ---- A: wd-video ----------------------------------------------------------
let wd;
async function wdSetup(authUrl) {
  if (wd) return wd;
  const [sa, sb] = await camera();
  const uid = (p) => `${p}-${Math.random().toString(36).slice(2, 10)}`;
  const a = new VideoClient({ authUrl, anonymous: { uid: uid('bench-a') } });
  const b = new VideoClient({ authUrl, anonymous: { uid: uid('bench-b') } });
  await Promise.all([a.start(), b.start()]);
  wd = { a, b, sa, sb, incoming: undefined, manual: false };
  b.on('called', (conv) => {
    wd.incoming = conv;
    wd.onIncoming?.(conv);
    if (!wd.manual) void conv.accept(sb);
  });
  return wd;
}
const convConnected = (conv) =>
  new Promise((ok, fail) => {
    if (conv.state === 'connected') return ok(now());
    const f = (s) => {
      if (s === 'connected') {
        conv.off('state', f);
        ok(now());
      } else if (s === 'closed') fail(new Error(`closed: ${conv.closeReason}`));
    };
    conv.on('state', f);
  });

/** Hang up `conv` and wait for the callee's side to close, so the next iteration starts clean. */
async function hangUpA(w, conv) {
  const inc = w.incoming;
  const closed = inc && inc.state !== 'closed' ? new Promise((ok) => inc.on('closed', ok)) : undefined;
  conv.close();
  if (closed) await withTimeout(closed, 5000, 'callee closed').catch(() => {});
  w.incoming = undefined;
  w.onIncoming = undefined;
  w.manual = false;
  await sleep(50);
}

async function runA({ authUrl, relay }) {
  const w = await wdSetup(authUrl);
  const marks = {};
  const incomingP = new Promise((ok) => (w.onIncoming = (c) => ((marks.called = now()), ok(c))));
  const t0 = now();
  const conv = w.a.call(w.b.uid, w.sa, relay ? { iceTransportPolicy: 'relay' } : {});
  conv.on('state', (s) => (marks[`caller_${s}`] ??= now()));
  const frame = new Promise((ok) => conv.on('stream_received', (rs) => ((marks.remoteTrack = now()), ok(firstFrame(rs.stream)))));
  try {
    const [[ice, connected], ff] = await withTimeout(
      Promise.all([milestones(() => conv.peerConnection), frame, incomingP.then((inc) => convConnected(inc))]),
      20_000,
      'wd-video call',
    );
    return { iceConnected: ice - t0, connected: connected - t0, firstFrame: ff - t0, stages: Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, v - t0])) };
  } finally {
    await hangUpA(w, conv);
  }
}

// ---- B: the floor ---------------------------------------------------------
/** Two RTCPeerConnections with `config`, signalled in memory; created after t0 like every contender's. */
async function floorCall(config, what) {
  const [sa, sb] = await camera();
  // Created after t0: the other contenders pay for their peer connections too.
  const t0 = now();
  const p1 = new RTCPeerConnection(config);
  const p2 = new RTCPeerConnection(config);
  try {
    p1.onicecandidate = (e) => e.candidate && p2.addIceCandidate(e.candidate).catch(() => {});
    p2.onicecandidate = (e) => e.candidate && p1.addIceCandidate(e.candidate).catch(() => {});
    for (const t of sa.getTracks()) p1.addTrack(t, sa);
    let remoteTrack;
    const frame = new Promise((ok) => (p1.ontrack = (e) => e.track.kind === 'video' && ((remoteTrack = now()), ok(firstFrame(e.streams[0] ?? new MediaStream([e.track]))))));
    p2.ontrack = () => {};
    const c1 = milestones(() => p1);
    await p1.setLocalDescription(await p1.createOffer());
    await p2.setRemoteDescription(p1.localDescription);
    for (const t of sb.getTracks()) p2.addTrack(t, sb);
    await p2.setLocalDescription(await p2.createAnswer());
    await p1.setRemoteDescription(p2.localDescription);
    const [[ice, connected], ff] = await withTimeout(Promise.all([c1, frame]), 20_000, what);
    return { iceConnected: ice - t0, connected: connected - t0, firstFrame: ff - t0, stages: { remoteTrack: remoteTrack - t0, caller_ice: ice - t0, caller_connected: connected - t0 } };
  } finally {
    p1.close();
    p2.close();
    await sleep(50);
  }
}
const runB = () => floorCall({ iceServers: [], bundlePolicy: 'max-bundle' }, 'floor call');

// ---- B-relay-floor: the floor through coturn ------------------------------
// Not the relay target's denominator (that stays B, above): a reference for
// what any relay call pays in this browser, the same two RTCPeerConnections
// with iceTransportPolicy 'relay' and the stack's TURN servers. Each side
// allocates on coturn when it gathers, as wd-video's callee must.
let turnServers;
async function runBRelayFloor({ authUrl }) {
  if (!turnServers) {
    const r = await fetch(authUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ anonymous: { uid: `bench-turn-${Math.random().toString(36).slice(2, 10)}` } }) });
    turnServers = (await r.json()).iceServers;
  }
  return floorCall({ iceServers: turnServers, iceTransportPolicy: 'relay', bundlePolicy: 'max-bundle' }, 'relay floor call');
}

// ---- C: PeerJS ------------------------------------------------------------
let pj;
async function pjSetup({ host, port, path }) {
  if (pj) return pj;
  const [sa, sb] = await camera();
  // No default STUN/TURN (PeerJS defaults to public servers): loopback only, as for B.
  const opts = { host, port, path, secure: false, config: { iceServers: [] }, debug: 0 };
  const mk = () => new Promise((ok, fail) => {
    const p = Peer(opts);
    p.on('open', () => ok(p));
    p.on('error', fail);
  });
  const [a, b] = await Promise.all([mk(), mk()]);
  pj = { a, b, sa, sb, manual: false };
  b.on('call', (call) => {
    pj.onIncoming?.(call);
    if (!pj.manual) call.answer(sb);
  });
  return pj;
}
async function runC(server) {
  const p = await pjSetup(server);
  const incomingP = new Promise((ok) => (p.onIncoming = ok));
  const t0 = now();
  const call = p.a.call(p.b.id, p.sa);
  const frame = new Promise((ok) => call.on('stream', (s) => ok(firstFrame(s))));
  let inc;
  try {
    const [[ice, connected], ff] = await withTimeout(
      Promise.all([milestones(() => call.peerConnection), frame, incomingP.then((c) => (inc = c))]),
      20_000,
      'peerjs call',
    );
    return { iceConnected: ice - t0, connected: connected - t0, firstFrame: ff - t0 };
  } finally {
    call.close();
    inc?.close();
    p.onIncoming = undefined;
    await sleep(50);
  }
}

async function closeAll() {
  if (wd) await Promise.all([wd.a.close(), wd.b.close()]).catch(() => {});
  if (pj) {
    pj.a.destroy();
    pj.b.destroy();
  }
  for (const s of streams ?? []) s.getTracks().forEach((t) => t.stop());
}

// ---- accept after ringing: a person takes time to click Accept ------------
// The callee answers `delay` ms after the call arrives; measured from that
// accept()/answer() to the first remote frame on each side.

async function acceptA({ authUrl, delay }) {
  const w = await wdSetup(authUrl);
  w.manual = true;
  const incomingP = new Promise((ok) => (w.onIncoming = ok));
  const conv = w.a.call(w.b.uid, w.sa);
  const callerFrame = new Promise((ok) => conv.on('stream_received', (rs) => ok(firstFrame(rs.stream))));
  try {
    const inc = await withTimeout(incomingP, 10_000, 'wd-video called');
    await sleep(delay); // the scenario: the person reads who calls
    const calleeFrame = new Promise((ok) => inc.on('stream_received', (rs) => ok(firstFrame(rs.stream))));
    const t0 = now();
    void inc.accept(w.sb);
    const [cf, bf] = await withTimeout(Promise.all([callerFrame, calleeFrame]), 20_000, 'wd-video accept');
    return { callerFrame: cf - t0, calleeFrame: bf - t0, bothFrames: Math.max(cf, bf) - t0 };
  } finally {
    await hangUpA(w, conv);
  }
}

async function acceptC({ server, delay }) {
  const p = await pjSetup(server);
  p.manual = true;
  const incomingP = new Promise((ok) => (p.onIncoming = ok));
  const call = p.a.call(p.b.id, p.sa);
  const callerFrame = new Promise((ok) => call.on('stream', (s) => ok(firstFrame(s))));
  let inc;
  try {
    inc = await withTimeout(incomingP, 10_000, 'peerjs call');
    await sleep(delay); // the scenario: the person reads who calls
    const calleeFrame = new Promise((ok) => inc.on('stream', (s) => ok(firstFrame(s))));
    const t0 = now();
    inc.answer(p.sb);
    const [cf, bf] = await withTimeout(Promise.all([callerFrame, calleeFrame]), 20_000, 'peerjs answer');
    return { callerFrame: cf - t0, calleeFrame: bf - t0, bothFrames: Math.max(cf, bf) - t0 };
  } finally {
    call.close();
    inc?.close();
    p.onIncoming = undefined;
    p.manual = false;
    await sleep(50);
  }
}

window.bench = { runA, runB, runC, runBRelayFloor, acceptA, acceptC, closeAll };
