// A Wilddog Video 2.x app ports by changing its script and initialize()'s
// arguments: examples/wilddog/app.js runs unchanged otherwise, through the
// classic-script build (global `wdVideo`, aliased to the old `wilddogVideo`)
// and through the ES module build.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { uniqueUid } from '../shared/ids.js';
import { launch, person, videoMoves, type Person } from './helpers.js';

// examples/wilddog/app.js behind each build; served by the stack like any app page.
const builds = { classic: '/examples/wilddog/classic.html', module: '/examples/wilddog/module.html' };

const log = (p: Page) => p.evaluate(() => (window as unknown as { appLog: string[] }).appLog.slice());
async function until(p: Page, what: string, ms = 15_000) {
  await p.waitForFunction((w) => (window as unknown as { appLog: string[] }).appLog.includes(w), what, { timeout: ms }).catch(async (e) => {
    throw new Error(`${(e as Error).message}: waiting for "${what}", log: ${(await log(p)).join(' | ')}`);
  });
}
const run = (p: Page, js: string) => p.evaluate(js);

for (const [name, path] of Object.entries(builds)) {
  describe(`the Wilddog app through the ${name} build`, { timeout: 120_000 }, () => {
    let browser: Browser;
    let alice: Person;
    let bob: Person;
    const aliceUid = uniqueUid('alice');
    const bobUid = uniqueUid('bob');

    before(async () => {
      browser = await launch();
      [alice, bob] = [await person(browser, path), await person(browser, path)];
      await run(alice.page, `login(${JSON.stringify(aliceUid)})`);
      await run(bob.page, `login(${JSON.stringify(bobUid)})`);
      await Promise.all([until(alice.page, 'local stream'), until(bob.page, 'local stream')]);
      await Promise.all([until(alice.page, 'connected'), until(bob.page, 'connected')]);
    });

    after(async () => {
      await alice?.close();
      await bob?.close();
      await browser?.close();
    });

    it('invite with string data, accept, video both ways, stats, disconnect -> closed on both sides', async () => {
      await run(alice.page, `invite(${JSON.stringify(bobUid)})`);
      await until(bob.page, `called by ${aliceUid} data test`);
      await run(bob.page, 'accept()');
      await until(alice.page, 'response ACCEPTED');
      await Promise.all([until(alice.page, 'stream_received'), until(bob.page, 'stream_received')]);
      for (const p of [alice.page, bob.page]) {
        const seen = await videoMoves(p.locator('#remote'));
        assert.ok(seen.width > 0 && seen.presented > 0, `remote video plays: ${JSON.stringify(seen)}`);
      }
      await Promise.all([alice.page, bob.page].flatMap((p) => [until(p, 'local_stats true'), until(p, 'remote_stats true')]));
      await run(alice.page, 'disconnect()');
      await Promise.all([until(alice.page, 'closed'), until(bob.page, 'closed')]);
      assert.deepEqual([...alice.errors, ...bob.errors], [], 'no page errors');
    });

    it('reject -> the caller hears REJECTED and its conversation closes', async () => {
      await run(alice.page, 'appLog.length = 0');
      await run(bob.page, 'appLog.length = 0');
      await run(alice.page, `invite(${JSON.stringify(bobUid)})`);
      await until(bob.page, `called by ${aliceUid} data test`);
      await run(bob.page, 'reject()');
      await until(alice.page, 'response REJECTED');
      await until(alice.page, 'closed');
      assert.deepEqual([...alice.errors, ...bob.errors], [], 'no page errors');
    });
  });
}
