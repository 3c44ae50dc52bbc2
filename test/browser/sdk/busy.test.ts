// One conversation per client: an invite that arrives during a call is answered BUSY.
import { expect } from '@open-wc/testing';
import type { Conversation } from 'wd-video';
import { argsOf, camera, cleanup, client, connectedPair, frameCounter, next, none, record, reach, sleep, uniqueUid } from './helpers.js';

describe('calling somebody who is busy', () => {
  afterEach(cleanup);

  it('bob in a call with carol: alice hears BUSY quickly and bob\'s call is unaffected', async () => {
    // connectedPair names its two users alice and bob; here they play carol and bob.
    const { a: carol, b: bob, ca: carolConv, cb: bobConv } = await connectedPair();
    const bobFrames = frameCounter(bobConv.remoteStream!.stream);
    const carolFrames = frameCounter(carolConv.remoteStream!.stream);
    await bobFrames.more(3);
    const bobLog = record(bobConv, ['state', 'closed']);
    const carolLog = record(carolConv, ['state', 'closed']);
    const noCalled = none(bob, 'called', 2500);

    const alice = await client(uniqueUid('alice'));
    const t0 = performance.now();
    const conv = alice.call(bob.uid!, await camera());
    const log = record(conv, ['response', 'closed']);
    await reach(conv, 'closed', 5000);
    const took = performance.now() - t0;

    expect(argsOf(log, 'response')).to.deep.equal(['BUSY']);
    expect(argsOf(log, 'closed')).to.deep.equal(['busy']);
    expect(took, 'BUSY took ms').to.be.below(1500);
    expect(alice.conversation).to.equal(undefined);

    await noCalled;
    expect(bobLog, 'bob\'s call had no state change').to.deep.equal([]);
    expect(carolLog, 'carol\'s call had no state change').to.deep.equal([]);
    expect(bob.conversation).to.equal(bobConv);
    expect(bobConv.state).to.equal('connected');
    expect(carolConv.state).to.equal('connected');
    await bobFrames.more(5);
    await carolFrames.more(5);

    // And that call still ends normally.
    const closed = next<string>(carolConv, 'closed', 10_000);
    bobConv.close();
    expect(await closed).to.equal('hangup');
  });

  it('bob ringing with carol\'s call: alice hears BUSY, carol\'s call still rings and can be answered', async () => {
    const bob = await client(uniqueUid('bob'));
    const carol = await client(uniqueUid('carol'));
    const alice = await client(uniqueUid('alice'));
    const called = next<Conversation>(bob, 'called');
    const carolConv = carol.call(bob.uid!, await camera());
    const incoming = await called;
    await reach(carolConv, 'ringing', 5000);
    const incomingLog = record(incoming, ['state', 'closed']);

    const conv = alice.call(bob.uid!, await camera());
    const log = record(conv, ['response', 'closed']);
    await reach(conv, 'closed', 5000);
    expect(argsOf(log, 'response')).to.deep.equal(['BUSY']);
    expect(argsOf(log, 'closed')).to.deep.equal(['busy']);
    await sleep(300);
    expect(incomingLog).to.deep.equal([]);
    expect(incoming.state).to.equal('incoming');
    expect(carolConv.state).to.equal('ringing');

    await incoming.accept(await camera());
    await reach(carolConv, 'connected');
    await reach(incoming, 'connected');
  });
});
