// The call history's own costs, on a single node and on the 3-node cluster
// (history streams with 3 replicas): how long from a caller's report to the
// callee's `missed_call` notice (validation, a JetStream write acknowledged
// by its replicas, the notice), and how long a full history (200 records, the
// default cap) takes to read. Raw nats.ws connections send what the SDK sends.
import WebSocket from 'ws';

globalThis.WebSocket ??= WebSocket;

const pct = (xs, p) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.ceil(p * v.length) - 1)] : NaN;
};
const summary = (xs) => ({ n: xs.length, p50: +pct(xs, 0.5).toFixed(2), p95: +pct(xs, 0.95).toFixed(2), max: +Math.max(...xs).toFixed(2) });
const enc = (v) => new TextEncoder().encode(JSON.stringify(v));

export async function runHistory({ quick, startStackFor }) {
  const out = {};
  for (const natsNodes of [1, 3]) out[natsNodes === 1 ? 'single' : 'cluster3'] = await measure(await startStackFor(undefined, { natsNodes }), quick);
  return out;
}

async function measure(stack, quick) {
  const { connect, jwtAuthenticator } = await import('nats.ws');
  const run = Math.random().toString(36).slice(2, 8);
  const signIn = async (uid) => (await fetch(`${stack.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ anonymous: { uid } }) })).json();
  const open = async (uid, server) => {
    const s = await signIn(uid);
    return connect({ servers: [server], authenticator: jwtAuthenticator(s.nats.jwt), inboxPrefix: `_INBOX.${uid}` });
  };
  const servers = stack.config.natsServers;
  const conns = [];
  try {
    // Notice latency: a new caller each time (the per-pair cap is 5 per 10 minutes).
    const y = `hy-${run}`;
    const yc = await open(y, servers[servers.length - 1]);
    conns.push(yc);
    const waiting = new Map();
    yc.subscribe(`wd.n.${y}.>`, { callback: (_e, m) => waiting.get(JSON.parse(new TextDecoder().decode(m.data)).record.callId)?.() });
    await yc.flush();
    const notice = [];
    const trials = quick ? 10 : 200;
    const callers = [];
    for (let i = 0; i < Math.ceil(trials / 5); i++) {
      const uid = `hx-${run}-${i}`;
      const c = await open(uid, servers[0]);
      conns.push(c);
      callers.push({ uid, c });
    }
    for (let i = 0; i < trials; i++) {
      const { uid, c } = callers[Math.floor(i / 5)];
      const callId = `bench${run}${String(i).padStart(6, '0')}`;
      const got = new Promise((ok) => waiting.set(callId, ok));
      const t = performance.now();
      c.publish(`wd.ev.${uid}`, enc({ v: 1, k: 'ended', callId, peer: y, role: 'caller', reason: 'unavailable', answered: false, agoMs: 3000 }));
      await got;
      notice.push(performance.now() - t);
    }
    // Read latency: y's whole history (trials records, capped at 200), newest first.
    const reads = [];
    let recordsRead = 0;
    for (let i = 0; i < (quick ? 3 : 20); i++) {
      const t = performance.now();
      const r = JSON.parse(new TextDecoder().decode((await yc.request(`wd.svc.${y}.history`, enc({ limit: 200 }), { timeout: 10_000 })).data));
      reads.push(performance.now() - t);
      if (!Array.isArray(r.records)) throw new Error(`history read failed: ${JSON.stringify(r)}`);
      recordsRead = r.records.length;
    }
    return { nodes: stack.nats.length, replicas: stack.config.historyReplicas, reportToNoticeMs: summary(notice), readMs: summary(reads), recordsRead };
  } finally {
    await Promise.all(conns.map((c) => c.close().catch(() => {})));
    await stack.stop();
  }
}

export function printHistory(r) {
  console.log('\n== Call history (ms) ==');
  for (const [name, x] of Object.entries(r)) {
    console.log(`${name.padEnd(9)} ${x.nodes} node(s), R${x.replicas}: report -> missed_call notice p50 ${x.reportToNoticeMs.p50} p95 ${x.reportToNoticeMs.p95} max ${x.reportToNoticeMs.max} (n ${x.reportToNoticeMs.n}); read ${x.recordsRead} records p50 ${x.readMs.p50} p95 ${x.readMs.p95} (n ${x.readMs.n})`);
  }
}
