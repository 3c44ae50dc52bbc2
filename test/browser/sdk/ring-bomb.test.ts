// Ring-bombing against the real stack: a caller bob just rejected cannot make
// him ring again at once (BUSY, no `called`), while other callers still can;
// and no call may ask to ring longer than 120 s. The timing itself (125 s,
// 4999 ms vs 5000 ms) is proved on a fake clock in test/node/sdk/ring-bomb.test.ts.
import { expect } from '@open-wc/testing';
import type { Conversation } from 'wd-video';
import { argsOf, next, record } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { sleep, until } from '../../shared/wait.js';
import { camera, cleanup, client, reach } from './helpers.js';
import { needs } from '../engine.js';

describe('ring-bombing', function () {
  this.timeout(30_000);
  afterEach(cleanup);

  it('call() refuses to ring longer than 120 s', async () => {
    const alice = await client(uniqueUid('alice'));
    const bob = await client(uniqueUid('bob'));
    const rang = record(bob, ['called']);
    expect(() => alice.call(bob.uid!, new MediaStream(), { timeout: 120_001 })).to.throw().with.property('code', 'invalid_argument');
    expect(alice.conversation, 'no call placed').to.equal(undefined);
    expect(rang).to.deep.equal([]);
  });

  it('a rejected caller hears BUSY for 5 s without bob ringing; carol still gets through; then alice rings again', async function () {
    needs(this, 'webrtc');
    const alice = await client(uniqueUid('alice'));
    const bob = await client(uniqueUid('bob'));
    const carol = await client(uniqueUid('carol'));
    const stream = await camera();
    const called = next<Conversation>(bob, 'called');
    const first = alice.call(bob.uid!, stream);
    (await called).reject();
    await reach(first, 'closed', 5000);
    const rejectedAt = Date.now();
    const rang = record(bob, ['called']);

    const again = alice.call(bob.uid!, stream);
    const response = next<string>(again, 'response', 5000);
    expect(await response).to.equal('BUSY');
    expect(Date.now() - rejectedAt, 'the retry was refused within the cooldown').to.be.below(5000);
    expect(rang, 'bob did not ring for alice again').to.deep.equal([]);
    expect(bob.counters.byReason.recent_reject).to.equal(1);

    const fromCarol = next<Conversation>(bob, 'called', 5000, "carol's call ringing at bob");
    const carols = carol.call(bob.uid!, stream);
    expect((await fromCarol).remoteUid).to.equal(carol.uid);
    carols.close();
    await until(() => !bob.conversation, 5000, "carol's cancel reaching bob");

    // The scenario's own timing: the cooldown runs out 5 s after the reject.
    await sleep(Math.max(0, 5000 - (Date.now() - rejectedAt)));
    const ringsAgain = next<Conversation>(bob, 'called', 5000, "alice's call ringing after the cooldown");
    alice.call(bob.uid!, stream);
    expect((await ringsAgain).remoteUid).to.equal(alice.uid);
    expect(argsOf(rang, 'called').map((c) => (c as Conversation).remoteUid)).to.deep.equal([carol.uid, alice.uid]);
  });
});
