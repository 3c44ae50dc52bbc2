// Part 3: signaling capacity of one nats-server with our token service, using
// the SDK's own signaling layer in Node (connectNats + protocol encode/decode,
// nats.ws over the `ws` shim, no media). Every loop is bounded in count and time.
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

globalThis.WebSocket ??= WebSocket;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.ceil(p * v.length) - 1)] : NaN;
};
const rssKB = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  } catch {
    return NaN;
  }
};
/** CPU seconds (user + system) of a process, from /proc/<pid>/stat. */
const cpuSec = (pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // clock ticks; USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
};

/** Run `fn` over `items` with at most `limit` in flight. */
async function pool(items, limit, fn) {
  let i = 0;
  const out = new Array(items.length);
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (i < items.length) {
      const k = i++;
      out[k] = await fn(items[k], k);
    }
  }));
  return out;
}

const SCALE_N = 10_000;
const SDP = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n' + 'a=x-bench:padding\r\n'.repeat(120);
const CAND = [{ candidate: 'candidate:842163049 1 udp 1677729535 127.0.0.1 50000 typ host generation 0', sdpMid: '0', sdpMLineIndex: 0 }];

export async function runCapacity({ quick, startStackFor, log = console.log }) {
  const proto = await import('wd-video/internal');
  const { connectNats } = proto;
  const N = quick ? 50 : 1000;
  const rates = quick ? [50] : [100, 500, 2000];
  const phaseMs = quick ? 3000 : 10_000;
  const stack = await startStackFor();
  const clients = [];
  const result = { clients: N, phaseMs };
  try {
    const natsPid = stack.nats[0].child.proc.pid;
    const authUrl = `${stack.url}/v1/session`;
    await sleep(300);
    result.connect = await signInAndConnect(N, clients);
    log(`  ${N} clients signed in (${result.connect.signInPerSec.toFixed(0)}/s) and connected (${result.connect.connectPerSec.toFixed(0)}/s)`);

    /** Sign in and connect `count` clients into `into`; rates and RSS growth per client. */
    async function signInAndConnect(count, into) {
      const rss0 = { nats: rssKB(natsPid), self: rssKB(process.pid) };
      const run = Math.random().toString(36).slice(2, 8);
      // Sign in.
      let t = performance.now();
      let signInRetries = 0;
      // Sign-in is CPU-bound in the token service: more than a few in flight only queue (and risk keep-alive resets).
      const sessions = await pool([...Array(count).keys()], 8, async (i) => {
        const uid = `cap-${run}-${i}`;
        for (let attempt = 1; ; attempt++) {
          try {
            const res = await fetch(authUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ anonymous: { uid } }) });
            if (!res.ok) throw new Error(`sign-in ${res.status} ${await res.text()}`);
            return await res.json();
          } catch (e) {
            if (attempt >= 3) throw e;
            signInRetries++;
            await sleep(100 * attempt);
          }
        }
      });
      const signInSec = (performance.now() - t) / 1000;
      // Connect and subscribe.
      t = performance.now();
      await pool(sessions, 32, async (s) => {
        const tr = await connectNats({ servers: s.nats.servers, jwt: () => s.nats.jwt, uid: s.uid, name: `wd-video/${s.uid}` });
        const c = { uid: s.uid, dev: proto.randomId().replace(/[^A-Za-z0-9_-]/g, ''), tr, pending: new Map(), recv: { cand: 0, invalid: 0 } };
        tr.subscribe(proto.inboundSubject(s.uid), (m) => onMessage(c, m));
        await tr.nc.flush();
        into.push(c);
      });
      const connectSec = (performance.now() - t) / 1000;
      await sleep(500);
      const rss1 = { nats: rssKB(natsPid), self: rssKB(process.pid) };
      return {
        signInPerSec: count / signInSec,
        signInRetries,
        connectPerSec: count / connectSec,
        natsRssKB: { before: rss0.nats, after: rss1.nats, perClientKB: (rss1.nats - rss0.nats) / count },
        benchProcessRssKB: { before: rss0.self, after: rss1.self, perClientKB: (rss1.self - rss0.self) / count, note: 'token service runs in this process, together with the N client connections' },
      };
    }

    // Message handling: the callee answers invite with ringing, then sends answer (reliable) and a candidate;
    // the caller acks answer and sends a candidate; the callee acks hangup.
    function onMessage(c, m) {
      const d = proto.decode(c.uid, m.subject, m.data);
      if (!d.ok) {
        c.recv.invalid++;
        return;
      }
      const { from, msg } = d;
      const to = (type) => proto.subjectFor(from, c.uid, type);
      const ack = () => proto.replyAllowed(from, m.reply) && c.tr.publish(m.reply, proto.encodeReply({ t: 'ack', callId: msg.callId, dev: c.dev }));
      switch (msg.type) {
        case 'invite':
          if (proto.replyAllowed(from, m.reply)) c.tr.publish(m.reply, proto.encodeReply({ t: 'ringing', callId: msg.callId, dev: c.dev }));
          void c.tr
            .request(to('answer'), proto.encode({ type: 'answer', callId: msg.callId, dev: c.dev, sdp: SDP }), 5000)
            .then(() => c.tr.publish(to('cand'), proto.encode({ type: 'cand', callId: msg.callId, dev: c.dev, c: CAND })))
            .catch(() => {});
          break;
        case 'answer':
          ack();
          c.pending.get(msg.callId)?.answered();
          break;
        case 'cand':
          c.recv.cand++;
          c.pending.get(msg.callId)?.cand();
          break;
        case 'hangup':
          ack();
          break;
      }
    }

    async function callOnce(a, b) {
      const callId = proto.randomId();
      let answered, cand;
      const gotAnswer = new Promise((ok) => (answered = ok));
      const gotCand = new Promise((ok) => (cand = ok));
      a.pending.set(callId, { answered, cand });
      const t0 = performance.now();
      const timeout = (p, ms) => Promise.race([p, sleep(ms).then(() => Promise.reject(new Error('timeout')))]);
      try {
        const r = proto.decodeReply(await a.tr.request(proto.subjectFor(b.uid, a.uid, 'invite'), proto.encode({ type: 'invite', callId, dev: a.dev, sdp: SDP, relay: false, ttl: 30_000 }), 5000));
        if (r?.t !== 'ringing') throw new Error(`invite answered ${r?.t}`);
        const ringing = performance.now() - t0;
        await timeout(gotAnswer, 5000);
        a.tr.publish(proto.subjectFor(b.uid, a.uid, 'cand'), proto.encode({ type: 'cand', callId, dev: a.dev, c: CAND }));
        await timeout(gotCand, 5000);
        const h = proto.decodeReply(await a.tr.request(proto.subjectFor(b.uid, a.uid, 'hangup'), proto.encode({ type: 'hangup', callId, dev: a.dev, reason: 'hangup' }), 5000));
        if (h?.t !== 'ack') throw new Error('hangup not acked');
        return { ok: true, ringing, full: performance.now() - t0 };
      } catch (e) {
        return { ok: false, error: String(e?.message ?? e) };
      } finally {
        a.pending.delete(callId);
      }
    }

    result.calls = [];
    const pairs = Math.floor(clients.length / 2);
    for (const rate of rates) {
      for (const c of clients) c.recv.cand = 0;
      const cpu0 = { nats: cpuSec(natsPid), self: process.cpuUsage() };
      const inflight = [];
      const start = performance.now();
      let issued = 0;
      // Open-loop pacing: issue what is due every tick, up to rate * phase (bounded), for phaseMs.
      const total = Math.round((rate * phaseMs) / 1000);
      while (issued < total && performance.now() - start < phaseMs + 1000) {
        const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
        while (issued < due) {
          const k = issued++ % pairs;
          inflight.push(callOnce(clients[2 * k], clients[2 * k + 1]));
        }
        await sleep(5);
      }
      const issueSec = (performance.now() - start) / 1000;
      const results = await Promise.all(inflight); // each call is bounded by its own timeouts
      const wall = (performance.now() - start) / 1000;
      await sleep(300);
      const ok = results.filter((r) => r.ok);
      const candsRecv = clients.reduce((a, c) => a + c.recv.cand, 0);
      const cpuSelf = process.cpuUsage(cpu0.self);
      const row = {
        targetPerSec: rate,
        issued,
        issuedPerSec: issued / issueSec,
        completed: ok.length,
        achievedPerSec: ok.length / wall,
        failed: results.length - ok.length,
        failures: [...new Set(results.filter((r) => !r.ok).map((r) => r.error))].slice(0, 5),
        ringingMs: { p50: pct(ok.map((r) => r.ringing), 0.5), p99: pct(ok.map((r) => r.ringing), 0.99) },
        fullSetupMs: { p50: pct(ok.map((r) => r.full), 0.5), p99: pct(ok.map((r) => r.full), 0.99) },
        // Candidates are fire-and-forget publishes: the one channel where a message could vanish unnoticed.
        candidatesSent: ok.length * 2,
        candidatesReceived: candsRecv,
        messagesLost: Math.max(0, ok.length * 2 - candsRecv) + (results.length - ok.length),
        cpu: { natsServerPct: ((cpuSec(natsPid) - cpu0.nats) / wall) * 100, benchProcessPct: ((cpuSelf.user + cpuSelf.system) / 1e6 / wall) * 100 },
      };
      result.calls.push(row);
      log(`  ${rate}/s: ${row.completed}/${issued} calls, achieved ${row.achievedPerSec.toFixed(0)}/s`);
    }
    result.invalidMessages = clients.reduce((a, c) => a + c.recv.invalid, 0);
    if (!quick) {
      // Connections alone at a larger scale: how many users one nats-server holds, at what memory.
      await Promise.all(clients.splice(0).map((c) => c.tr.close().catch(() => {})));
      const many = [];
      try {
        result.scale = { clients: SCALE_N, ...(await signInAndConnect(SCALE_N, many)) };
        log(`  ${SCALE_N} clients signed in (${result.scale.signInPerSec.toFixed(0)}/s) and connected (${result.scale.connectPerSec.toFixed(0)}/s)`);
      } finally {
        await pool(many, 200, (c) => c.tr.close().catch(() => {}));
      }
    }
    result.note = 'The bench process hosts all N clients and the token service on the same 2 cores as nats-server: achieved rates are a lower bound on the server.';
  } finally {
    await Promise.all(clients.map((c) => c.tr.close().catch(() => {})));
    await stack.stop();
  }
  return result;
}

export function printCapacity(r) {
  const n = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '—');
  console.log(`\n== 3. Signaling capacity: one nats-server + token service, ${r.clients} clients (nats.ws over ws in Node, no media) ==`);
  const c = r.connect;
  console.log(`sign-in ${n(c.signInPerSec)}/s (${c.signInRetries} retried), connect ${n(c.connectPerSec)}/s; nats-server RSS ${n(c.natsRssKB.before / 1024, 1)} -> ${n(c.natsRssKB.after / 1024, 1)} MB = ${n(c.natsRssKB.perClientKB, 1)} KB/client; bench process (token service + clients) ${n(c.benchProcessRssKB.perClientKB, 1)} KB/client`);
  if (r.scale) {
    const x = r.scale;
    console.log(`${x.clients} clients: sign-in ${n(x.signInPerSec)}/s, connect ${n(x.connectPerSec)}/s; nats-server RSS ${n(x.natsRssKB.before / 1024, 1)} -> ${n(x.natsRssKB.after / 1024, 1)} MB = ${n(x.natsRssKB.perClientKB, 1)} KB/client`);
  }
  console.log(`${'target/s'.padStart(8)}${'issued'.padStart(8)}${'done/s'.padStart(8)}${'failed'.padStart(7)}${'ring p50'.padStart(9)}${'ring p99'.padStart(9)}${'full p50'.padStart(9)}${'full p99'.padStart(9)}${'lost'.padStart(6)}${'nats cpu%'.padStart(10)}${'bench cpu%'.padStart(11)}`);
  for (const x of r.calls) {
    console.log(`${String(x.targetPerSec).padStart(8)}${String(x.issued).padStart(8)}${n(x.achievedPerSec).padStart(8)}${String(x.failed).padStart(7)}${n(x.ringingMs.p50, 1).padStart(9)}${n(x.ringingMs.p99, 1).padStart(9)}${n(x.fullSetupMs.p50, 1).padStart(9)}${n(x.fullSetupMs.p99, 1).padStart(9)}${String(x.messagesLost).padStart(6)}${n(x.cpu.natsServerPct).padStart(10)}${n(x.cpu.benchProcessPct).padStart(11)}`);
    if (x.failures.length) console.log(`         failures: ${x.failures.join('; ')}`);
  }
  console.log(r.note);
}
