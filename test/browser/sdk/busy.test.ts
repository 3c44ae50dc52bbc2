// One conversation per client: an invite that arrives during a call is answered BUSY.
import { expect } from '@open-wc/testing';
import type { Conversation, VideoClient } from 'wd-video';
import { argsOf, next, record } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { streamFrames } from '../frames.js';
import { camera, cleanup, client, connectedPair, reach } from './helpers.js';
import { suiteNeeds } from '../engine.js';

/**
 * alice calls bob, who is busy: alice hears BUSY and closes with "busy". After
 * BUSY alice still sends a cancel (for bob's other devices), the last message
 * of her call: once bob has dropped it, nothing more of that call can reach him.
 */
async function hearsBusy(bob: VideoClient) {
  const alice = await client(uniqueUid('alice'));
  const dropped = unknownCalls(bob);
  const conv = alice.call(bob.uid!, await camera());
  const log = record(conv, ['response', 'closed']);
  await reach(conv, 'closed', 5000);
  expect(argsOf(log, 'response')).to.deep.equal(['BUSY']);
  expect(argsOf(log, 'closed')).to.deep.equal(['busy']);
  expect(alice.conversation).to.equal(undefined);
  await until(() => unknownCalls(bob) > dropped, 5000, "bob drops alice's cancel");
}
const unknownCalls = (c: VideoClient) => c.counters.byReason.unknown_call ?? 0;

describe('calling somebody who is busy', () => {
  suiteNeeds('webrtc');
  afterEach(cleanup);

  it('bob in a call with carol: alice hears BUSY and bob\'s call is unaffected', async () => {
    // connectedPair names its two users alice and bob; here they play carol and bob.
    const { b: bob, ca: carolConv, cb: bobConv } = await connectedPair();
    const bobFrames = streamFrames(bobConv.remoteStream!.stream);
    const carolFrames = streamFrames(carolConv.remoteStream!.stream);
    await bobFrames.more(3);
    const bobLog = record(bobConv, ['state', 'closed']);
    const carolLog = record(carolConv, ['state', 'closed']);
    const bobClient = record(bob, ['called']);

    await hearsBusy(bob);
    expect(bobClient, 'bob never rang').to.deep.equal([]);
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
    const called = next<Conversation>(bob, 'called');
    const carolConv = carol.call(bob.uid!, await camera());
    const incoming = await called;
    await reach(carolConv, 'ringing', 5000);
    const incomingLog = record(incoming, ['state', 'closed']);

    await hearsBusy(bob);
    expect(incomingLog).to.deep.equal([]);
    expect(incoming.state).to.equal('incoming');
    expect(carolConv.state).to.equal('ringing');

    await incoming.accept(await camera());
    await reach(carolConv, 'connected');
    await reach(incoming, 'connected');
  });
});
