// Part 5: the soak. 1,000 sequential calls between two pages in headless
// Chromium (answered with media, cancelled, ring timeouts, rejected; both
// directions), then the leak checks: open RTCPeerConnections, live call timers,
// NATS subscriptions and connections against the baseline, JS heap growth after
// a forced GC. The driver and the checks are the e2e test's
// (test/e2e/soak/, built to build/: `npm run bench` builds first), so the
// bench and `npm test` run the same calls; only the count differs.
import { stats } from './setup.mjs';

/**
 * @param {{ quick: boolean, startStackFor: (origin?: string, o?: { serveStatic?: boolean }) => Promise<any>, log?: (s: string) => void }} o
 */
export async function runSoakBench({ quick, startStackFor, log = console.log }) {
  const { chromium } = await import('playwright-core');
  const { chromiumArgs } = await import('../web-test-runner.config.mjs');
  const { runSoak } = await import('../build/test/e2e/soak/driver.js');
  const { soakChecks, HEAP_BOUND } = await import('../build/test/e2e/soak/checks.js');
  const calls = quick ? 10 : 1000;
  // The pages are the stack's own (same origin as /dist/ and /v1/session).
  const stack = await startStackFor(undefined, { serveStatic: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs });
  let r;
  try {
    r = await runSoak({ browser, baseUrl: stack.url, monitorPort: stack.nats[0].monitorPort, calls, log });
  } finally {
    await browser.close().catch(() => {});
    await stack.stop();
  }
  const checks = soakChecks(r);
  const MB = 2 ** 20;
  return {
    calls,
    byKind: r.byKind,
    durationS: +(r.durationMs / 1000).toFixed(1),
    cooldownWaitS: +(r.cooldownWaitMs / 1000).toFixed(1),
    callMs: Object.fromEntries(Object.entries(r.durations).map(([k, xs]) => [k, stats(xs)])),
    errors: r.errors,
    pages: r.pages.map((p) => ({
      uid: p.uid,
      heapBeforeMB: +(p.heapBefore / MB).toFixed(3),
      heapAfterMB: +(p.heapAfter / MB).toFixed(3),
      heapGrowthMB: +((p.heapAfter - p.heapBefore) / MB).toFixed(3),
      peerConnections: { made: p.after.pcs.created - p.before.pcs.created, open: p.after.pcs.open, inMemoryAfterGc: p.peerConnectionsInMemory },
      conversationsInMemoryAfterGc: p.conversationsAfter,
      callTimers: { before: p.before.callTimers, after: p.after.callTimers },
      messages: { received: p.after.received - p.before.received, dropped: p.after.dropped - p.before.dropped },
      illegalTransitions: p.after.illegalTransitions,
      pageErrors: p.pageErrors,
    })),
    nats: {
      connections: { before: r.nats.before.connections, after: r.nats.after.connections },
      subscriptions: Object.fromEntries(Object.keys(r.nats.before.clients).map((uid) => [uid, { before: r.nats.before.clients[uid].subjects, after: r.nats.after.clients[uid].subjects }])),
    },
    checks,
    passed: checks.every((c) => c.ok),
    notes: [
      'baseline after one warm-up call; heap = CDP Runtime.getHeapUsage usedSize after HeapProfiler.collectGarbage (twice), per page',
      `heap bound ${HEAP_BOUND / MB} MB per page; calls sequential, ring timeout of the timeout calls 1500 ms; a rejected caller waits out the 5 s reject cooldown before calling again (cooldownWaitS)`,
      'peerConnections.inMemoryAfterGc: RTCPeerConnections still reachable after the forced GC (CDP Runtime.queryObjects); a figure, not a check: Chromium itself keeps a closed one alive while an operation started before close() never settles. conversationsInMemoryAfterGc (the SDK objects that hold them) is a check',
    ],
  };
}

export function printSoak(s) {
  console.log(`\n== 5. Soak: ${s.calls} sequential calls between two pages, headless Chromium, loopback ==`);
  console.log(`calls by kind: ${Object.entries(s.byKind).map(([k, n]) => `${k} ${n}`).join(', ')}; ${s.errors.length} failed; ${s.durationS} s (of which ${s.cooldownWaitS} s reject cooldown waits)`);
  console.log(`ms per call, dial to both closed: ${Object.entries(s.callMs).map(([k, v]) => `${k} p50 ${v.median} p90 ${v.p90}`).join('; ')}`);
  for (const p of s.pages) {
    console.log(`  ${p.uid}: heap ${p.heapBeforeMB} -> ${p.heapAfterMB} MB (+${p.heapGrowthMB}); peer connections made ${p.peerConnections.made}, open ${p.peerConnections.open}, in memory after GC ${p.peerConnections.inMemoryAfterGc}; call timers ${p.callTimers.after}`);
  }
  console.log(`  nats-server connections ${s.nats.connections.before} -> ${s.nats.connections.after}`);
  for (const c of s.checks) console.log(`  ${c.ok ? 'ok ' : 'NOT'} ${c.name}: ${c.detail}`);
}
