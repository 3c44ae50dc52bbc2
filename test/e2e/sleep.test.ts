// A laptop lid closes: the page is frozen (Chrome DevTools Protocol's
// Page.setWebLifecycleState, what Chrome does to background tabs) and, while it
// sleeps, the nats-server node its client was on freezes too (SIGSTOP: the
// socket stays open, nothing answers). On waking the client must not wait for
// a throttled ping timer: it checks at once, moves to another node of the real
// 3-node cluster, and a call reaches it again. Figures are printed.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '@wd-video/server/config.js';
import { startStack, type Stack } from '@wd-video/server/stack.js';
import { repoRoot, tempStateDir } from '../node/helpers/procs.js';
import { uniqueUid } from '../shared/ids.js';
import { sleep, until } from '../shared/wait.js';
import { launch, person, type Person } from './helpers.js';

const stateDir = tempStateDir('sleep');
let stack: Stack | undefined;
let browser: Browser | undefined;
const people: Person[] = [];

before(async () => {
  const config = loadConfig({}, { stateDir, anonymous: true, serveStatic: true, rateLimit: 100_000 });
  stack = await startStack(config, { natsNodes: 3, freePorts: true, staticMounts: { '/dist/': join(repoRoot, 'packages', 'wd-video', 'dist') } });
  browser = await launch();
});
after(async () => {
  await Promise.all(people.map((p) => p.close().catch(() => {})));
  await browser?.close();
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

/** A page with a started VideoClient as `uid` (the CDN bundle); it records statuses, wake-ups and calls. */
async function signedIn(uid: string): Promise<Page> {
  const p = await person(browser!, `${stack!.url}/healthz`);
  people.push(p);
  await p.page.evaluate(async (uid) => {
    const { VideoClient } = (await import('/dist/wd-video.js' as string)) as typeof import('wd-video');
    const c = new VideoClient({ authUrl: '/v1/session', anonymous: { uid } });
    const w = window as unknown as Record<string, unknown>;
    const log: string[] = [];
    w.client = c;
    w.log = log;
    c.on('status', (s) => log.push(`status:${s}`));
    c.on('wake', (r) => log.push(`wake:${r}`));
    c.on('called', (conv) => {
      log.push(`called:${conv.remoteUid}`);
      conv.reject();
    });
    await c.start();
  }, uid);
  return p.page;
}

const logOf = (page: Page) => page.evaluate(() => (window as unknown as { log: string[] }).log.slice());

test('a page that slept while its node froze is reachable again soon after it wakes', { timeout: 90_000 }, async () => {
  const alice = uniqueUid('alice');
  const carol = uniqueUid('carol');
  const pa = await signedIn(alice);
  const pc = await signedIn(carol);
  const node = await until(async () => (await stack!.nodeOf(alice)) + 1, 10_000, 'alice on exactly one node').then((i) => i - 1);

  const cdp = await pa.context().newCDPSession(pa);
  await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
  stack!.signalNats(node, 'SIGSTOP');
  // The length of the nap: longer than the client's wake-up tick, so a clock jump is visible too.
  await sleep(6000);
  const resumed = Date.now();
  await cdp.send('Page.setWebLifecycleState', { state: 'active' });

  // Carol (on a live node, or failing over herself) calls until alice hears it; alice declines.
  const reached = await until(
    async () => {
      const r = await pc.evaluate(async (to) => {
        const w = window as unknown as { client: import('wd-video').VideoClient };
        const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        const conv = w.client.call(to, stream, { timeout: 3000 });
        await new Promise((ok) => conv.on('closed', ok));
        return conv.closeReason;
      }, alice);
      return (await logOf(pa)).some((l) => l === `called:${carol}`) ? r : undefined;
    },
    30_000,
    'a call from carol that rings at alice',
  );
  const took = Date.now() - resumed;
  const log = await logOf(pa);
  console.log(`sleep figures: alice on node ${node + 1}; reached ${took} ms after the page woke (${reached}); alice's log: ${log.join(' ')}`);
  assert.equal(reached, 'rejected', 'the call rang at alice and she declined it');
  assert.notEqual(await stack!.nodeOf(alice), node, 'alice moved off the frozen node');
});
