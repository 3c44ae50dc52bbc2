// Part 2: call set-up in headless Chromium on loopback. A (wd-video), B (two
// RTCPeerConnections in memory: the floor) and C (PeerJS with its own `peer`
// server) run interleaved A B C A B C in one page, after warm-up; then A
// again with iceTransportPolicy 'relay' through coturn, interleaved with B and
// with B-relay-floor (the floor's two connections relayed through coturn too:
// a reference only, the relay target's ratio is against B).
// The same milestones for everyone, on the caller's RTCPeerConnection
// (bench/page-entry.mjs): ICE connected, connectionState connected, first frame.
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const outDir = join(root, 'bench', '.out');
const peerjsFile = join(root, 'node_modules', 'peerjs', 'dist', 'peerjs.min.js');

async function bundlePage() {
  const { rollup } = await import('rollup');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  mkdirSync(outDir, { recursive: true });
  const b = await rollup({ input: join(root, 'bench', 'page-entry.mjs'), plugins: [nodeResolve({ browser: true, rootDir: root })], onwarn: () => {} });
  const { output } = await b.generate({ format: 'es', inlineDynamicImports: true });
  await b.close();
  return output[0].code;
}

/** A loopback HTTP server for the bench page and its bundle. */
async function pageServer(code) {
  const html = '<!doctype html><html><head><meta charset="utf-8"><title>wd-video bench</title></head><body><script src="/peerjs.min.js"></script><script type="module" src="/page.js"></script></body></html>';
  const server = createServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else if (req.url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    else if (req.url === '/peerjs.min.js' && existsSync(peerjsFile)) res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(peerjsFile));
    else res.writeHead(404).end();
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

async function peerServer() {
  const { PeerServer } = await import('peer');
  const { freePort } = await import('@wd-video/server/processes.js');
  const port = await freePort();
  let http;
  await new Promise((ok) => {
    PeerServer({ port, host: '127.0.0.1', path: '/peerjs' }, (s) => {
      http = s;
      ok();
    });
  });
  return { http, opts: { host: '127.0.0.1', port, path: '/peerjs' } };
}

export const stats = (xs) => {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p) => (v.length ? v[Math.min(v.length - 1, Math.ceil(p * v.length) - 1)] : NaN);
  return { n: v.length, median: q(0.5), p90: q(0.9), min: v[0] ?? NaN, max: v[v.length - 1] ?? NaN };
};

/**
 * @param {{ quick: boolean, startStackFor: (origin: string) => Promise<any> }} o
 */
export async function runSetup({ quick, startStackFor, log = console.log }) {
  const { chromium } = await import('playwright-core');
  const { chromiumArgs } = await import('../web-test-runner.config.mjs');
  const warm = 3;
  const iters = quick ? 5 : 30;
  const code = await bundlePage();
  const page = await pageServer(code);
  const cleanups = [() => new Promise((ok) => page.server.close(ok))];
  const result = { iterations: iters, warmup: warm, series: {}, errors: {} };
  try {
    const stack = await startStackFor(page.url);
    cleanups.push(() => stack.stop());
    const ps = await peerServer();
    cleanups.push(() => new Promise((ok) => (ps.http.closeAllConnections?.(), ps.http.close(() => ok()))));
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs });
    cleanups.push(() => browser.close());
    const ctx = await browser.newContext({ permissions: ['camera', 'microphone'] });
    const p = await ctx.newPage();
    p.on('pageerror', (e) => log(`  page error: ${e.message}`));
    await p.goto(page.url);
    await p.waitForFunction(() => !!window.bench, null, { timeout: 30_000 });
    const authUrl = `${stack.url}/v1/session`;
    const runners = {
      A: () => p.evaluate((a) => window.bench.runA({ authUrl: a, relay: false }), authUrl),
      B: () => p.evaluate(() => window.bench.runB()),
      C: () => p.evaluate((o) => window.bench.runC(o), ps.opts),
      'A-relay': () => p.evaluate((a) => window.bench.runA({ authUrl: a, relay: true }), authUrl),
      'B-relay-round': () => p.evaluate(() => window.bench.runB()),
      'B-relay-floor': () => p.evaluate((a) => window.bench.runBRelayFloor({ authUrl: a }), authUrl),
    };
    const rounds = [
      ['A', 'B', 'C'],
      ['A-relay', 'B-relay-round', 'B-relay-floor'],
    ];
    for (const names of rounds) {
      for (const n of names) {
        result.series[n] = { iceConnected: [], connected: [], firstFrame: [], stages: [] };
        result.errors[n] = [];
      }
      for (let i = 0; i < warm + iters; i++) {
        for (const n of names) {
          try {
            const r = await runners[n]();
            if (i >= warm) {
              result.series[n].iceConnected.push(r.iceConnected);
              result.series[n].connected.push(r.connected);
              result.series[n].firstFrame.push(r.firstFrame);
              if (r.stages) result.series[n].stages.push(r.stages);
            }
          } catch (e) {
            const msg = String(e?.message ?? e).split('\n')[0];
            result.errors[n].push(msg);
            log(`  ${n} iteration ${i}: ${msg}`);
          }
        }
      }
      log(`  round ${names.join(' ')} done`);
    }
    // Accept after 1.5 s of ringing: wd-video (pre-warmed) against PeerJS's answer().
    const acceptIters = quick ? 3 : 15;
    result.accept = { delayMs: 1500, iterations: acceptIters, series: { A: [], C: [] }, errors: { A: [], C: [] } };
    const accepters = {
      A: () => p.evaluate((a) => window.bench.acceptA({ authUrl: a, delay: 1500 }), authUrl),
      C: () => p.evaluate((o) => window.bench.acceptC({ server: o, delay: 1500 }), ps.opts),
    };
    for (let i = 0; i < 1 + acceptIters; i++) {
      for (const n of ['A', 'C']) {
        try {
          const r = await accepters[n]();
          if (i >= 1) result.accept.series[n].push(r);
        } catch (e) {
          const msg = String(e?.message ?? e).split('\n')[0];
          result.accept.errors[n].push(msg);
          log(`  accept ${n} iteration ${i}: ${msg}`);
        }
      }
    }
    log('  round accept-after-ringing done');
    await p.evaluate(() => window.bench.closeAll()).catch(() => {});
  } finally {
    for (const c of cleanups.reverse()) await Promise.resolve().then(c).catch(() => {});
  }
  result.summary = {};
  for (const [n, s] of Object.entries(result.series)) {
    // Median time of each stage (ms from call start): where the time goes.
    const keys = [...new Set(s.stages.flatMap((x) => Object.keys(x)))];
    const stages = Object.fromEntries(keys.map((k) => [k, stats(s.stages.map((x) => x[k]).filter((v) => v !== undefined)).median]).sort((a, b) => a[1] - b[1]));
    result.summary[n] = { iceConnected: stats(s.iceConnected), connected: stats(s.connected), firstFrame: stats(s.firstFrame), stagesMedianMs: stages };
  }
  const S = result.summary;
  const ratio = (x, y, k, m) => (S[x] && S[y] ? S[x][k][m] / S[y][k][m] : NaN);
  result.ratios = {};
  for (const k of ['iceConnected', 'connected', 'firstFrame']) {
    result.ratios[k] = {
      'A/B median': ratio('A', 'B', k, 'median'),
      'A/B p90': ratio('A', 'B', k, 'p90'),
      'A/C median': ratio('A', 'C', k, 'median'),
      'A/C p90': ratio('A', 'C', k, 'p90'),
      'A-relay/B median': ratio('A-relay', 'B-relay-round', k, 'median'),
      'A-relay/B-relay-floor median': ratio('A-relay', 'B-relay-floor', k, 'median'),
    };
  }
  if (result.accept) {
    const A = result.accept.series.A;
    const C = result.accept.series.C;
    const pick = (xs, k) => stats(xs.map((x) => x[k]));
    result.accept.summary = Object.fromEntries(
      ['callerFrame', 'calleeFrame', 'bothFrames'].map((k) => [k, { A: pick(A, k), C: pick(C, k) }]),
    );
    const s = result.accept.summary.bothFrames;
    result.ratios['accept→both first frames'] = { 'A/C median': s.A.median / s.C.median, 'A/C p90': s.A.p90 / s.C.p90 };
  }
  result.milestones = 'caller RTCPeerConnection: iceConnected = iceConnectionState connected, connected = connectionState connected (ICE+DTLS), firstFrame = first requestVideoFrameCallback of the remote <video>; t0 before any peer connection exists; 640x480 for all';
  result.targets = { 'connected A/B': 1.25, 'connected A/C': 0.8, 'firstFrame A/B': 1.05, 'relay connected A/B': 2, 'accept→both first frames A/C': 0.5 };
  return result;
}

export function printSetup(r) {
  const f = (x) => (Number.isFinite(x) ? x.toFixed(0) : '—').padStart(8);
  const g = (x) => (Number.isFinite(x) ? x.toFixed(2) : '—').padStart(8);
  console.log(`\n== 2. Call set-up, headless Chromium, loopback (ms; ${r.iterations} iterations after ${r.warmup} warm-up, interleaved) ==`);
  console.log('milestones on the caller\'s RTCPeerConnection: ICE connected, connectionState connected (ICE+DTLS), first remote frame');
  console.log(`${'contender'.padEnd(44)}${'ice p50'.padStart(8)}${'conn p50'.padStart(9)}${'conn p90'.padStart(9)}${'frame p50'.padStart(10)}${'frame p90'.padStart(10)}  n  errors`);
  const names = { A: 'A wd-video VideoClient', B: 'B floor: 2 RTCPeerConnections in memory', C: 'C PeerJS 1.5 + peer server', 'A-relay': 'A wd-video, iceTransportPolicy relay (coturn)', 'B-relay-round': 'B floor (interleaved with A relay)', 'B-relay-floor': 'B floor relayed through coturn (reference)' };
  for (const [n, s] of Object.entries(r.summary)) {
    console.log(`${(names[n] ?? n).padEnd(44)}${f(s.iceConnected.median)}${f(s.connected.median)} ${f(s.connected.p90)}  ${f(s.firstFrame.median)}  ${f(s.firstFrame.p90)}  ${String(s.connected.n).padStart(2)} ${String(r.errors[n].length).padStart(3)}`);
  }
  console.log('median stage times, ms from call start:');
  for (const [n, s] of Object.entries(r.summary)) if (Object.keys(s.stagesMedianMs ?? {}).length) console.log(`  ${n.padEnd(14)} ${Object.entries(s.stagesMedianMs).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}, first frame ${s.firstFrame.median.toFixed(0)}`);
  if (r.accept?.summary) {
    console.log(`accept after ${r.accept.delayMs} ms of ringing -> first remote frame (ms; ${r.accept.iterations} iterations, interleaved):`);
    for (const [k, v] of Object.entries(r.accept.summary)) console.log(`  ${k.padEnd(12)} wd-video p50 ${f(v.A.median).trim()} p90 ${f(v.A.p90).trim()}   PeerJS p50 ${f(v.C.median).trim()} p90 ${f(v.C.p90).trim()}`);
  }
  console.log('ratios (lower is better):');
  for (const [k, v] of Object.entries(r.ratios)) console.log(`  ${k.padEnd(11)} ${Object.entries(v).map(([a, b]) => `${a} ${g(b).trim()}`).join('   ')}`);
  console.log(`targets: connected A/B <= 1.25, A/C <= 0.8; first frame A/B <= 1.05; relay connected A-relay/B <= 2; accept -> both first frames A/C <= 0.5`);
}
