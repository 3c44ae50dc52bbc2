// The soak: many sequential calls between two real pages, then the leak checks.
//
// Why playwright-core and two browser contexts (the e2e set-up), not
// web-test-runner: each person gets a page of their own (own renderer, own JS
// heap, own NATS connection), as in real use; one web-test-runner page would
// hold both clients in one heap. playwright-core is already how test/e2e drives
// Chromium, and it gives each page a DevTools Protocol session
// (context.newCDPSession) for the forced GC and heap figures, with no new
// machinery. The same driver serves `npm test` (a short run,
// test/e2e/soak.test.ts) and `npm run bench` (1,000 calls, bench/soak.mjs).
//
// Each page loads the CDN bundle (/dist/wd-video.js) from the stack, as a
// site would, after an init script that counts RTCPeerConnections.
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { uniqueUid } from '../../shared/ids.js';
import { sleep, until } from '../../shared/wait.js';
import { KINDS, plannedCall, type CallKind, type PlannedCall } from './mix.js';
import { natsView, type NatsView } from './nats-monitor.js';
import { heapAfterGc, liveInstances } from './page-memory.js';
import { countPeerConnections, installAgent, type PageProbe, type SoakAgent } from './page-agent.js';

export interface SoakOptions {
  browser: Browser;
  /** The stack's base URL: it serves the page's origin, /dist/ and /v1/session. */
  baseUrl: string;
  /** nats-server's monitoring port (/connz). */
  monitorPort: number;
  calls: number;
  /** The ring timeout of the `timeout` calls, ms (short, so a long soak ends in reasonable time). */
  ringTimeout?: number;
  /** Remote frames each side must present in an answered call. */
  frames?: number;
  /** Stop at the first failed call (a test), or record it and go on (the bench). */
  stopOnError?: boolean;
  log?: (line: string) => void;
}

export interface PageFigures {
  uid: string;
  /** JS heap used after a forced GC (CDP Runtime.getHeapUsage usedSize), bytes. */
  heapBefore: number;
  heapAfter: number;
  /** SDK Conversation objects still reachable after a forced GC: none should outlive its call. */
  conversationsBefore: number;
  conversationsAfter: number;
  /**
   * RTCPeerConnections (open or closed) still reachable after a forced GC. A
   * figure, not a check: Chromium itself keeps a closed one alive while an
   * operation started before close() never settles (docs/testing.md).
   */
  peerConnectionsInMemory: number;
  /** Uncaught errors in the page during the soak. */
  pageErrors: string[];
  before: PageProbe;
  after: PageProbe;
}

export interface SoakResult {
  calls: number;
  byKind: Record<CallKind, number>;
  /** Wall time of each kind of call, ms, from dial to both sides closed. */
  durations: Record<CallKind, number[]>;
  /** Waits for the callee's reject cooldown (REJECT_COOLDOWN_MS), ms in all. */
  cooldownWaitMs: number;
  durationMs: number;
  errors: { index: number; kind: CallKind; error: string }[];
  pages: [PageFigures, PageFigures];
  nats: { before: NatsView; after: NatsView };
}

/**
 * After a reject, the callee answers the same caller BUSY for this long
 * (REJECT_COOLDOWN_MS in packages/wd-video/signaling/client.ts, anti ring-bombing);
 * that caller's next call waits it out (from when the driver saw the reject, which is
 * after the callee stamped it), plus a margin.
 */
const REJECT_COOLDOWN_MS = 5000 + 250;

interface Person {
  uid: string;
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  /** Uncaught errors in the page (an SDK that throws shows up here). */
  pageErrors: string[];
}

/** A browser context with one page on the stack's origin, the PC counter, and the agent signed in as `uid`. */
async function openPerson(browser: Browser, baseUrl: string, uid: string): Promise<Person> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e?.stack ?? e).split('\n')[0]!));
  await page.addInitScript(countPeerConnections);
  // A page the stack itself serves (a fulfilled route would be a "public" page to
  // Chromium's local network access checks, which then block the loopback WebSocket).
  // /healthz is a bare document of the stack's origin: the SDK is the only code on it.
  await page.goto(new URL('/healthz', baseUrl).href);
  await page.evaluate(installAgent, { sdkUrl: new URL('/dist/wd-video.js', baseUrl).href, authUrl: new URL('/v1/session', baseUrl).href, uid });
  return { uid, context, page, cdp: await context.newCDPSession(page), pageErrors };
}

/** Calls `method` of the agent in `p`'s page. */
function agent<K extends keyof SoakAgent>(p: Person, method: K, ...args: Parameters<SoakAgent[K]>): Promise<Awaited<ReturnType<SoakAgent[K]>>> {
  return p.page.evaluate(([m, a]) => (window.soak![m] as (...x: unknown[]) => unknown)(...a), [method, args] as const) as Promise<Awaited<ReturnType<SoakAgent[K]>>>;
}

/** Heap after a forced GC; the SDK's conversations and the peer connections (counted class) still in memory. */
async function memory(p: Person) {
  const heap = await heapAfterGc(p.cdp);
  return {
    heap,
    conversations: await liveInstances(p.cdp, 'window.soakSdk.Conversation.prototype'),
    peerConnections: await liveInstances(p.cdp, 'RTCPeerConnection.prototype'),
  };
}

const probe = (p: Person) => agent(p, 'probe');

async function expectClosed(p: Person, reason: string) {
  const r = await agent(p, 'closed');
  if (r.reason !== reason) throw new Error(`${p.uid}: the call ended "${r.reason}", expected "${reason}"`);
  if (r.clientConversation !== null) throw new Error(`${p.uid}: the client still holds a conversation (${r.clientConversation}) after the call ended`);
}

/** One call of the mix, from dial to both sides closed with the reasons each kind must give. */
async function oneCall(c: PlannedCall, caller: Person, callee: Person, o: { ringTimeout: number; frames: number }) {
  const timeout = c.kind === 'timeout' ? o.ringTimeout : undefined;
  await agent(caller, 'dial', callee.uid, timeout);
  await agent(callee, 'incoming');
  switch (c.kind) {
    case 'answer': {
      await agent(callee, 'accept');
      await Promise.all([caller, callee].map((p) => agent(p, 'media', o.frames)));
      await agent(c.hangsUp === 'caller' ? caller : callee, 'close');
      await Promise.all([expectClosed(caller, 'hangup'), expectClosed(callee, 'hangup')]);
      return;
    }
    case 'cancel':
      await agent(caller, 'ringing');
      await agent(caller, 'close');
      await Promise.all([expectClosed(caller, 'cancelled'), expectClosed(callee, 'cancelled')]);
      return;
    case 'timeout':
      // Nobody answers: the caller's ring timer ends it, and its cancel stops the ringing.
      await Promise.all([expectClosed(caller, 'timeout'), expectClosed(callee, 'timeout')]);
      return;
    case 'reject':
      await agent(callee, 'reject');
      await Promise.all([expectClosed(caller, 'rejected'), expectClosed(callee, 'rejected')]);
      return;
  }
}

/** The calls of the mix, one after another; each failure recorded (or thrown with `stopOnError`). */
async function runCalls(people: [Person, Person], o: SoakOptions & { ringTimeout: number; frames: number }) {
  const byKind = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<CallKind, number>;
  const durations = Object.fromEntries(KINDS.map((k) => [k, [] as number[]])) as Record<CallKind, number[]>;
  const errors: SoakResult['errors'] = [];
  const rejectedAt = [0, 0];
  let cooldownWaitMs = 0;
  const t0 = Date.now();
  for (let i = 0; i < o.calls; i++) {
    const c = plannedCall(i);
    const caller = people[c.caller];
    const callee = people[1 - c.caller]!;
    // A scenario rule, not synchronisation: the callee would answer BUSY within its reject cooldown.
    const wait = rejectedAt[c.caller]! + REJECT_COOLDOWN_MS - Date.now();
    if (wait > 0) {
      cooldownWaitMs += wait;
      await sleep(wait);
    }
    const start = Date.now();
    try {
      await oneCall(c, caller, callee, o);
      durations[c.kind].push(Date.now() - start);
      byKind[c.kind]++;
    } catch (e) {
      const error = String((e as Error)?.message ?? e).split('\n')[0]!;
      errors.push({ index: i, kind: c.kind, error });
      o.log?.(`  call ${i} (${c.kind}, ${caller.uid} -> ${callee.uid}) failed: ${error}`);
      if (o.stopOnError) throw e;
      // Clean slate for the next call: end whatever is left on both sides (a ringing call ended here is a reject).
      await Promise.all(people.map((p) => agent(p, 'reset').catch(() => {})));
      rejectedAt[c.caller] = Date.now();
    }
    if (c.kind === 'reject') rejectedAt[c.caller] = Date.now();
    if ((i + 1) % 100 === 0) o.log?.(`  ${i + 1} calls, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  return { byKind, durations, errors, cooldownWaitMs, durationMs: Date.now() - t0 };
}

/**
 * What the pages and the server hold once the calls have ended, waiting (bounded)
 * where it settles on its own: the server sees an unsubscribe a moment later.
 * A state that does not settle is returned as it is, for the checks to report.
 */
async function settled(people: Person[], monitorPort: number, natsBefore: NatsView) {
  const uids = people.map((p) => p.uid);
  const probes = await Promise.all(
    people.map((p) =>
      until(async () => {
        const pr = await probe(p);
        return pr.pcs.open === 0 && pr.callTimers === 0 && pr.conversation === null ? pr : undefined;
      }, 5000, `${p.uid}: no open peer connection, no call timer, no conversation`).catch(() => probe(p)),
    ),
  );
  const nats = await until(async () => {
    const v = await natsView(monitorPort, uids);
    const same = uids.every((u) => JSON.stringify(v.clients[u]) === JSON.stringify(natsBefore.clients[u])) && v.connections === natsBefore.connections;
    return same ? v : undefined;
  }, 5000, 'subscriptions and connections back to the baseline').catch(() => natsView(monitorPort, uids));
  return { probes, nats };
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const opts = { ...o, ringTimeout: o.ringTimeout ?? 1500, frames: o.frames ?? 3 };
  const people: Person[] = [];
  try {
    people.push(await openPerson(o.browser, o.baseUrl, uniqueUid('soak-alice')));
    people.push(await openPerson(o.browser, o.baseUrl, uniqueUid('soak-bob')));
    const [alice, bob] = people as [Person, Person];

    // Warm-up: one answered call creates what every later call reuses (the request
    // inbox subscription, compiled code), so the baseline is the steady state.
    await oneCall({ index: -1, kind: 'answer', caller: 0, hangsUp: 'caller' }, alice, bob, opts);
    const natsBefore = await natsView(o.monitorPort, [alice.uid, bob.uid]);
    const memBefore = [await memory(alice), await memory(bob)];
    const before = [await probe(alice), await probe(bob)];

    const calls = await runCalls([alice, bob], opts);

    const after = await settled(people, o.monitorPort, natsBefore);
    const memAfter = [await memory(alice), await memory(bob)];
    const figures = (i: 0 | 1): PageFigures => ({
      uid: people[i]!.uid,
      heapBefore: memBefore[i]!.heap,
      heapAfter: memAfter[i]!.heap,
      conversationsBefore: memBefore[i]!.conversations,
      conversationsAfter: memAfter[i]!.conversations,
      peerConnectionsInMemory: memAfter[i]!.peerConnections,
      pageErrors: people[i]!.pageErrors,
      before: before[i]!,
      after: after.probes[i]!,
    });
    return { calls: o.calls, ...calls, pages: [figures(0), figures(1)], nats: { before: natsBefore, after: after.nats } };
  } finally {
    for (const p of people) await p.context.close().catch(() => {});
  }
}
