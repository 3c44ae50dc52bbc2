// One conversation per client: call() during a call hangs up the first one (`replaced`).
import { expect } from '@open-wc/testing';
import type { Conversation } from 'wd-video';
import { argsOf, next, record } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { framesArrive } from '../frames.js';
import { camera, cleanup, client, connectedPair, reach } from './helpers.js';
import { suiteNeeds } from '../engine.js';

describe('call() while in a call', () => {
  suiteNeeds('webrtc');
  afterEach(cleanup);

  it('alice in a call with bob calls carol: the first call closes "replaced", bob is hung up, carol rings', async () => {
    const { a, b, ca, cb } = await connectedPair();
    const carol = await client(uniqueUid('carol'));
    const aliceLog = record(ca, ['closed']);
    const bobClosed = next<string>(cb, 'closed', 5000);
    const carolCalled = next<Conversation>(carol, 'called', 5000);

    const second = a.call(carol.uid!, await camera());
    expect(ca.state, 'the first call is closed synchronously').to.equal('closed');
    expect(argsOf(aliceLog, 'closed')).to.deep.equal(['replaced']);
    expect(ca.closeReason).to.equal('replaced');
    expect(a.conversation).to.equal(second);

    const bobReason = await bobClosed;
    expect(['hangup', 'replaced']).to.include(bobReason);
    expect(b.conversation).to.equal(undefined);

    const incoming = await carolCalled;
    expect(incoming.remoteUid).to.equal(a.uid);
    expect(incoming.callId).to.equal(second.callId);
    expect(incoming.callId).to.not.equal(ca.callId);
    await reach(second, 'ringing', 5000);

    // The new call works end to end.
    const stream = next<{ stream: MediaStream }>(second, 'stream_received');
    await incoming.accept(await camera());
    await reach(second, 'connected');
    await framesArrive((await stream).stream);
  });

  it('bob can call somebody else right after alice replaced him', async () => {
    const { a, b, cb } = await connectedPair();
    const carol = await client(uniqueUid('carol'));
    const dave = await client(uniqueUid('dave'));
    const bobClosed = next<string>(cb, 'closed', 5000);
    a.call(carol.uid!, await camera());
    await bobClosed;
    const daveCalled = next<Conversation>(dave, 'called', 5000);
    const conv = b.call(dave.uid!, await camera());
    await daveCalled;
    await reach(conv, 'ringing', 5000);
  });
});
