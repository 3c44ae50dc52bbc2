// Failover on a 3-node nats-server cluster: how long a signed-in client is
// unreachable after the node it is on is killed (SIGKILL) or frozen (SIGSTOP),
// over many trials. The clients are the SDK's VideoClient in Node (the same
// signaling code and nats.ws as in the browser, over the `ws` shim); reachable
// = a raw prober on another node sends a real invite and gets a reply (ringing
// or busy). Media is peer to peer and does not depend on the node: the browser
// test test/browser/sdk/failover.test.ts shows frames flowing through a kill.
import WebSocket from 'ws';

globalThis.WebSocket ??= WebSocket;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.ceil(p * v.length) - 1)] : NaN;
};
const summary = (xs) => ({ n: xs.length, p50: pct(xs, 0.5), p95: pct(xs, 0.95), max: Math.max(...xs) });
const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

export async function runFailover({ quick, startStackFor, log = console.log }) {
  const { VideoClient } = await import('wd-video');
  const proto = await import('wd-video/internal');
  const killTrials = quick ? 3 : 20;
  const freezeTrials = quick ? 1 : 5;
  const stack = await startStackFor(undefined, { natsNodes: 3 });
  const run = Math.random().toString(36).slice(2, 8);
  const closers = [];
  try {
    const authUrl = `${stack.url}/v1/session`;
    const signIn = async (uid) => (await fetch(authUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ anonymous: { uid } }) })).json();

    /** A raw prober connected to exactly node `index`: invites `uid` and says whether any reply came within `ms`. */
    async function prober(index) {
      const uid = `probe-${run}-${index}`;
      const s = await signIn(uid);
      const tr = await proto.connectNats({ servers: [`ws://127.0.0.1:${stack.nats[index].wsPort}`], uid, jwt: () => s.nats.jwt, name: `wd-video/${uid}` });
      closers.push(() => tr.close());
      const dev = proto.randomId();
      return async (to, ms) => {
        const msg = { type: 'invite', callId: proto.randomId(), dev, sdp: SDP, relay: false, ttl: 1000 };
        try {
          const r = proto.decodeReply(await tr.request(proto.subjectFor(to, uid, 'invite'), proto.encode(msg), ms));
          return !!r;
        } catch {
          return false;
        }
      };
    }
    const probers = [];
    for (let i = 0; i < 3; i++) probers.push(await prober(i));

    async function trial(signal, k) {
      const uid = `fo-${run}-${signal}-${k}`;
      const c = new VideoClient({ authUrl, anonymous: { uid } });
      // Declines every probe: a reply either way proves it is reachable.
      c.on('called', (conv) => conv.reject());
      await c.start();
      let node = -1;
      for (let i = 0; i < 100 && node < 0; i++) node = await stack.nodeOf(uid), node < 0 && (await sleep(20));
      if (node < 0) throw new Error(`trial ${k}: ${uid} is not on exactly one node`);
      const probe = probers[(node + 1) % 3];
      // The prober's own node may have been restarted by the last trial: it reconnects within a second.
      let ready = false;
      for (let i = 0; i < 20 && !ready; i++) ready = await probe(uid, 250);
      if (!ready) throw new Error(`trial ${k}: ${uid} not reachable before the ${signal}`);
      const seen = [];
      c.on('status', (st) => seen.push(st));
      const t0 = performance.now();
      stack.signalNats(node, signal);
      // Probe until a reply: each probe waits at most 50 ms (a reply on loopback takes 1-2 ms),
      // so a probe lost to a dead or frozen node costs little resolution.
      for (;;) {
        const p0 = performance.now();
        if (await probe(uid, 50)) break;
        // "No responders" comes back at once: do not spin.
        if (performance.now() - p0 < 10) await sleep(10);
        if (performance.now() - t0 > 30_000) throw new Error(`trial ${k}: ${uid} unreachable 30 s after ${signal}`);
      }
      const ms = performance.now() - t0;
      // A client that never lost its connection was not on the node signalled
      // (its /connz listing raced a move): that trial measured nothing.
      const valid = seen.includes('reconnecting');
      await c.close();
      // Put the cluster back together for the next trial.
      if (signal === 'SIGSTOP') stack.signalNats(node, 'SIGKILL');
      await stack.nats[node].child.exited;
      await stack.startNats(node);
      return valid ? ms : undefined;
    }
    let discarded = 0;
    async function trials(signal, n) {
      const out = [];
      for (let k = 0; out.length < n && k < n * 2; k++) {
        const ms = await trial(signal, k);
        if (ms === undefined) discarded++;
        else out.push(ms);
      }
      return out;
    }

    const kill = await trials('SIGKILL', killTrials);
    log(`  SIGKILL: unreachable for p50 ${pct(kill, 0.5).toFixed(0)} ms, p95 ${pct(kill, 0.95).toFixed(0)} ms over ${kill.length} trials`);
    const freeze = await trials('SIGSTOP', freezeTrials);
    log(`  SIGSTOP: unreachable for p50 ${pct(freeze, 0.5).toFixed(0)} ms, max ${Math.max(...freeze).toFixed(0)} ms over ${freeze.length} trials`);
    return {
      nodes: 3,
      clients: 'VideoClient in Node (nats.ws over ws), probed by raw invites from another node',
      pingIntervalMs: proto.PING_INTERVAL_MS,
      discardedTrials: { n: discarded, why: 'the client never lost its connection: it was not on the node signalled (the /connz listing raced)' },
      kill: { ...summary(kill), ms: kill.map((x) => +x.toFixed(1)), targetP95Ms: 1000 },
      freeze: { ...summary(freeze), ms: freeze.map((x) => +x.toFixed(1)), targetMs: 5000 },
    };
  } finally {
    for (const close of closers) await close().catch(() => {});
    await stack.stop();
  }
}

export function printFailover(r) {
  console.log('\nFailover (3-node cluster, the client\'s own node):');
  console.log(`  killed: unreachable p50 ${r.kill.p50.toFixed(0)} ms, p95 ${r.kill.p95.toFixed(0)} ms, max ${r.kill.max.toFixed(0)} ms (${r.kill.n} trials; target p95 <= ${r.kill.targetP95Ms} ms)`);
  console.log(`  frozen: unreachable p50 ${r.freeze.p50.toFixed(0)} ms, max ${r.freeze.max.toFixed(0)} ms (${r.freeze.n} trials; target <= ${r.freeze.targetMs} ms)`);
}
