// The caller hangs up before anybody answers.
import { expect } from '@open-wc/testing';
import type { Conversation } from 'wd-video';
import { argsOf, next, record } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { camera, cleanup, client, reach, ringingPair } from './helpers.js';
import { suiteNeeds } from '../engine.js';

describe('cancelling a call before it is answered', () => {
  suiteNeeds('webrtc');
  afterEach(cleanup);

  it('alice closes while bob rings: bob closed("cancelled"), alice closeReason "cancelled"', async () => {
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const called = next<Conversation>(b, 'called');
    const conv = a.call(b.uid!, await camera());
    const log = record(conv, ['response', 'closed']);
    const incoming = await called;
    await reach(conv, 'ringing', 5000);
    const incomingClosed = next<string>(incoming, 'closed', 5000);

    conv.close();
    expect(conv.state).to.equal('closed');
    expect(conv.closeReason).to.equal('cancelled');
    expect(argsOf(log, 'closed')).to.deep.equal(['cancelled']);
    expect(await incomingClosed).to.equal('cancelled');
    expect(incoming.closeReason).to.equal('cancelled');
    expect(a.conversation).to.equal(undefined);
    expect(b.conversation).to.equal(undefined);
    expect(argsOf(log, 'response'), 'no response for a cancelled call').to.deep.equal([]);

    let refused = false;
    await incoming.accept(await camera()).catch(() => (refused = true));
    expect(refused, 'accept() of a cancelled call rejects').to.equal(true);
  });

  it('close() right after call() (nothing sent yet): bob never rings', async () => {
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const rang = record(b, ['called']);
    const conv = a.call(b.uid!, await camera());
    conv.close();
    expect(conv.closeReason).to.equal('cancelled');
    // alice can call again at once; her messages reach bob in order, so when this call
    // rings, anything the cancelled one had sent has arrived.
    const called = next<Conversation>(b, 'called');
    const again = a.call(b.uid!, await camera());
    expect((await called).callId).to.equal(again.callId);
    expect(argsOf(rang, 'called').map((c) => (c as Conversation).callId), 'bob rang only for the second call').to.deep.equal([again.callId]);
    await reach(again, 'ringing', 5000);
  });

  it('the caller signs out while bob rings: bob stops ringing with "cancelled"', async () => {
    const { a, conv, incoming } = await ringingPair();
    const closed = next<string>(incoming, 'closed', 5000);
    await a.close();
    expect(conv.state).to.equal('closed');
    expect(await closed).to.equal('cancelled');
  });
});
