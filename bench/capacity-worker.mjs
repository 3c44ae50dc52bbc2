// One load-generator process of the capacity bench (bench/capacity.mjs forks
// several). It signs in its share of the clients through the real token
// service, connects each with the SDK's own transport (connectNats: nats.ws
// over the `ws` shim), and plays whole call set-ups between pairs of them on
// the wire protocol the SDK speaks (wd-video/internal: subjects, encode/decode,
// the reply guard), with nats-server enforcing each user's permissions:
//
//   caller --invite (request)--> callee      callee --ringing (reply)--> caller
//   callee --answer (request)--> caller      caller --ack (reply)--> callee
//   callee --2 candidate batches--> caller   caller --2 candidate batches--> callee
//   caller --hangup (request)--> callee      callee --ack (reply)--> caller
//
// 10 messages a set-up. Set-ups start on a schedule (open loop), never waiting
// for earlier ones. A set-up is lost when any step misses its deadline.
// Raw timings go back to the parent, which computes the percentiles.
import WebSocket from 'ws';
import { serveCommands } from './worker-pool.mjs';

globalThis.WebSocket ??= WebSocket;
const proto = await import('wd-video/internal');

const now = () => performance.timeOrigin + performance.now(); // ms since the epoch, comparable across processes
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Sizes of a real audio+video offer (6,232 bytes) and answer (5,932) from Debian
// Chromium 156 with a fake camera; candidates as it gathers them, in batches of 4.
const pad = (n) => 'v=0\r\n' + 'a=x-bench:' + 'p'.repeat(n - 17) + '\r\n';
const OFFER = pad(6232);
const ANSWER = pad(5932);
const line = (f, transport, addr, port, extra = '') => ({ candidate: `candidate:${f} 1 ${transport} 2122194687 ${addr} ${port} typ host ${extra}generation 0 ufrag kLoV network-id 3`, sdpMid: '0', sdpMLineIndex: 0 });
const BATCHES = [
  [line(433296811, 'udp', '127.0.0.1', 41112), line(3085830695, 'udp', '127.0.0.1', 45618), line(885670256, 'udp', '::1', 42447), line(2963039895, 'udp', '::1', 44171)],
  [line(1729918771, 'tcp', '127.0.0.1', 9, 'tcptype active '), line(3374442687, 'tcp', '127.0.0.1', 9, 'tcptype active '), line(1241883624, 'tcp', '::1', 9, 'tcptype active '), line(3461579791, 'tcp', '::1', 9, 'tcptype active ')],
];

/** Sessions from sign-in, then connected clients: { uid, dev, servers, tr }. */
const clients = [];
/** Set-ups in flight, by callId: the bookkeeping of both ends (the messages themselves travel over nats-server). */
const setups = new Map();
const health = { disconnects: 0, permissionErrors: 0, otherErrors: 0, invalid: 0, late: 0 };

/** Run `fn` over `items` with at most `limit` in flight. */
async function pool(items, limit, fn) {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}

/**
 * POST /v1/session for each { uid, node }; the client keeps only its node's URL
 * from the session's server list. Clients keep the order of `accounts` (pairs are
 * neighbours in it).
 */
async function signIn({ authUrl, accounts }) {
  let retries = 0;
  const t0 = now();
  // Sign-in is CPU-bound in the token service: a few in flight per worker keep it busy.
  await pool([...accounts.keys()], 8, async (k) => {
    const { uid, node } = accounts[k];
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(authUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ anonymous: { uid } }) });
        if (!res.ok) throw new Error(`sign-in ${res.status} ${await res.text()}`);
        const s = await res.json();
        clients[k] = { uid: s.uid, dev: proto.randomId(), servers: [s.nats.servers[node % s.nats.servers.length]], jwt: s.nats.jwt };
        return;
      } catch (e) {
        if (attempt >= 3) throw e;
        retries++;
        await sleep(100 * attempt);
      }
    }
  });
  return { count: accounts.length, sec: (now() - t0) / 1000, retries };
}

async function connectAll() {
  const t0 = now();
  await pool(clients, 32, async (c) => {
    c.tr = await proto.connectNats({ servers: c.servers, jwt: () => c.jwt, uid: c.uid, name: `wd-video/${c.uid}` });
    c.tr.onStatus((s) => {
      if (s.type === 'disconnected') health.disconnects++;
      else if (s.type === 'error') health[s.permission ? 'permissionErrors' : 'otherErrors']++;
    });
    c.tr.subscribe(proto.inboundSubject(c.uid), (m) => onMessage(c, m));
    await c.tr.flush();
  });
  return { count: clients.length, sec: (now() - t0) / 1000, pingIntervalMs: clients[0]?.tr.nc.options.pingInterval };
}

// ---- the two ends of a call, driven by what arrives ------------------------

function onMessage(c, m) {
  const d = proto.decode(c.uid, m.subject, m.data);
  if (!d.ok) return void health.invalid++;
  const { from, msg } = d;
  const s = setups.get(msg.callId);
  const send = (type, body) => c.tr.publish(proto.subjectFor(from, c.uid, type), proto.encode({ type, callId: msg.callId, dev: c.dev, to: msg.dev, ...body }));
  const reply = (t) => {
    if (!proto.replyAllowed(from, m.reply)) return false;
    c.tr.publish(m.reply, proto.encodeReply({ t, callId: msg.callId, dev: c.dev }));
    return true;
  };
  switch (msg.type) {
    case 'invite': // callee: ring, answer at once, then the held candidates right behind the answer
      if (!reply('ringing')) return void health.invalid++;
      c.tr
        .request(proto.subjectFor(from, c.uid, 'answer'), proto.encode({ type: 'answer', callId: msg.callId, dev: c.dev, to: msg.dev, sdp: ANSWER }), s?.deadlineMs ?? 5000)
        .then((data) => (proto.decodeReply(data)?.t === 'ack' ? step(msg.callId, (x) => (x.answerAcked = true)) : fail(msg.callId, 'answer', 'answer not acked')))
        .catch((e) => fail(msg.callId, 'answer', e));
      for (const batch of BATCHES) send('cand', { c: batch });
      if (s) s.candTimer = setTimeout(() => fail(msg.callId, 'cand', 'candidates missing'), s.deadlineMs);
      return;
    case 'answer': // caller: ack, then release our candidates to the device that answered
      reply('ack');
      if (!s) return void health.late++;
      for (const batch of BATCHES) send('cand', { c: batch });
      return;
    case 'cand':
      if (!s) return void health.late++;
      return step(msg.callId, (x) => (c === x.caller ? x.candsAtCaller++ : x.candsAtCallee++));
    case 'hangup': // callee
      reply('ack');
      return;
    default:
      health.invalid++;
  }
}

/** Record progress of a set-up; once everything arrived, the caller hangs up. */
function step(callId, apply) {
  const s = setups.get(callId);
  if (!s) return void health.late++;
  apply(s);
  if (s.hangupSent || !s.ringAt || !s.answerAcked || s.candsAtCaller < BATCHES.length || s.candsAtCallee < BATCHES.length) return;
  clearTimeout(s.candTimer);
  s.hangupSent = true;
  const { caller, callee } = s;
  caller.tr
    .request(proto.subjectFor(callee.uid, caller.uid, 'hangup'), proto.encode({ type: 'hangup', callId, dev: caller.dev, to: callee.dev, reason: 'hangup' }), s.deadlineMs)
    .then((data) => (proto.decodeReply(data)?.t === 'ack' ? end(callId) : fail(callId, 'hangup', 'hangup not acked')))
    .catch((e) => fail(callId, 'hangup', e));
}

// ---- a phase: set-ups on schedule, then the raw timings --------------------

let phase;

function issue(schedAt) {
  const [caller, callee] = phase.pairs[phase.next++ % phase.pairs.length];
  const callId = proto.randomId();
  const sentAt = now();
  const s = { callId, caller, callee, sentAt, deadlineMs: phase.deadlineMs, ringAt: 0, answerAcked: false, candsAtCaller: 0, candsAtCallee: 0, hangupSent: false, candTimer: undefined, watchdog: undefined };
  // A step the other end never starts (no answer sent) has no request to time out: every set-up ends by then.
  s.watchdog = setTimeout(() => fail(callId, stuckAt(s), 'no progress'), 4 * s.deadlineMs);
  setups.set(callId, s);
  phase.inflight++;
  phase.lag.push(sentAt - schedAt);
  caller.tr
    .request(proto.subjectFor(callee.uid, caller.uid, 'invite'), proto.encode({ type: 'invite', callId, dev: caller.dev, sdp: OFFER, relay: false, ttl: 30_000 }), s.deadlineMs)
    .then((data) => {
      const r = proto.decodeReply(data);
      if (r?.t !== 'ringing' || r.callId !== callId) return fail(callId, 'invite', `invite answered ${r?.t}`);
      const at = now();
      phase.ringing.push(at - sentAt);
      if (at - sentAt > phase.slowest) [phase.slowest, phase.slowestAt] = [at - sentAt, sentAt];
      step(callId, (x) => (x.ringAt = at));
    })
    .catch((e) => fail(callId, 'invite', e));
}

function end(callId) {
  const s = setups.get(callId);
  if (!s) return;
  phase.setup.push(now() - s.sentAt);
  phase.completed++;
  phase.lastDoneAt = now();
  release(s);
}

function fail(callId, stepName, e) {
  const s = setups.get(callId);
  if (!s) return; // failed already, or a late reply
  phase.lostBy[stepName]++;
  const why = `${stepName}: ${e?.message ?? e}`;
  if (phase.errors.length < 5 && !phase.errors.includes(why)) phase.errors.push(why);
  release(s);
}

/** The first step a set-up has not finished. */
const stuckAt = (s) => (!s.ringAt ? 'invite' : !s.answerAcked ? 'answer' : !s.hangupSent ? 'cand' : 'hangup');

function release(s) {
  clearTimeout(s.candTimer);
  clearTimeout(s.watchdog);
  setups.delete(s.callId);
  if (--phase.inflight === 0 && phase.allIssued) phase.drained();
}

/**
 * Offer `ratePerSec` set-ups a second across all `workers` for `durationMs` from
 * `startAt` (epoch ms): worker `index` takes every workers-th slot of one shared
 * schedule, so together they offer an even stream. Resolves when every set-up
 * it started has completed or missed a deadline.
 */
async function runPhase({ ratePerSec, workers, index, startAt, durationMs, deadlineMs }) {
  const pairs = [];
  for (let i = 0; i + 1 < clients.length; i += 2) pairs.push([clients[i], clients[i + 1]]);
  const total = Math.floor((ratePerSec * durationMs) / 1000);
  const slots = [];
  for (let k = index; k < total; k += workers) slots.push(startAt + (k * 1000) / ratePerSec);
  let drained;
  const done = new Promise((ok) => (drained = ok));
  phase = { pairs, next: 0, deadlineMs, inflight: 0, allIssued: false, drained, completed: 0, lastDoneAt: 0, lostBy: { invite: 0, answer: 0, cand: 0, hangup: 0 }, errors: [], ringing: [], setup: [], lag: [], slowest: 0, slowestAt: 0 };
  const health0 = { ...health };
  let k = 0;
  while (k < slots.length) {
    const t = now();
    while (k < slots.length && slots[k] <= t) issue(slots[k++]);
    if (k < slots.length) await sleep(Math.min(slots[k] - t, 20));
  }
  phase.allIssued = true;
  if (phase.inflight > 0) await done;
  const p = phase;
  return {
    issued: slots.length,
    completed: p.completed,
    lostBy: p.lostBy,
    errors: p.errors,
    lastDoneAt: p.lastDoneAt,
    ringingMs: Float64Array.from(p.ringing),
    setupMs: Float64Array.from(p.setup),
    scheduleLagMs: Float64Array.from(p.lag),
    /** When (ms after the phase's start) the slowest invite was sent. */
    slowestAtMs: p.slowestAt - startAt,
    health: Object.fromEntries(Object.entries(health).map(([key, v]) => [key, v - health0[key]])),
  };
}

serveCommands({
  signIn,
  connect: connectAll,
  phase: runPhase,
  async close() {
    await Promise.all(clients.map((c) => c.tr?.close().catch(() => {})));
    return { closed: clients.length };
  },
});
