// The short soak: 40 sequential calls between two pages (answered with media,
// cancelled while ringing, ring timeouts, rejected; both directions), then
// what a long-running page must not accumulate: open RTCPeerConnections, live
// call timers, NATS subscriptions or connections beyond the baseline, heap
// (test/e2e/soak/checks.ts). The 1,000-call run with its figures is
// `npm run bench -- soak` (bench/soak.mjs).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { baseUrl, launch } from './helpers.js';
import { soakChecks } from './soak/checks.js';
import { runSoak } from './soak/driver.js';

/** Two cycles of the mix (test/e2e/soak/mix.ts): every kind of call from both sides. */
const CALLS = 40;

describe('soak', () => {
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it(`${CALLS} calls in a row leave no peer connection, timer, subscription or connection behind`, { timeout: 300_000 }, async () => {
    const monitorPort = Number(process.env.WD_TEST_NATS_MONITOR);
    assert.ok(monitorPort > 0, 'WD_TEST_NATS_MONITOR: run through `npm test -- e2e`');
    const r = await runSoak({ browser, baseUrl: baseUrl(), monitorPort, calls: CALLS, stopOnError: true, log: console.log });
    const checks = soakChecks(r);
    for (const c of checks) console.log(`  ${c.ok ? 'ok ' : 'NOT'} ${c.name}: ${c.detail}`);
    for (const p of r.pages) console.log(`  ${p.uid}: ${p.peerConnectionsInMemory} peer connections in memory after forced GC (a figure)`);
    for (const c of checks) assert.ok(c.ok, `${c.name}: ${c.detail}`);
  });
});
