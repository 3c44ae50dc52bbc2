// Ending a live call from either side reaches the other side.
import { expect } from '@open-wc/testing';
import { argsOf, next, record } from '../../shared/events.js';
import { callThrough, cleanup, connectedPair } from './helpers.js';
import { suiteNeeds } from '../engine.js';

describe('hanging up a live call', () => {
  suiteNeeds('webrtc');
  afterEach(cleanup);

  it('close from the callee: the caller gets closed("hangup")', async () => {
    const { a, b, ca, cb } = await connectedPair();
    const callerLog = record(ca, ['closed', 'response']);
    const calleeLog = record(cb, ['closed']);
    const closed = next<string>(ca, 'closed', 5000);
    cb.close();
    expect(cb.state).to.equal('closed');
    expect(cb.closeReason).to.equal('hangup');
    expect(await closed).to.equal('hangup');
    expect(ca.closeReason).to.equal('hangup');
    expect(ca.peerConnection?.connectionState ?? 'closed').to.equal('closed');
    expect(cb.peerConnection?.connectionState ?? 'closed').to.equal('closed');
    expect(a.conversation).to.equal(undefined);
    expect(b.conversation).to.equal(undefined);
    cb.close();
    ca.close();
    await callThrough(b, a); // anything a second close() sent has arrived by now
    expect(argsOf(callerLog, 'closed')).to.deep.equal(['hangup']);
    expect(argsOf(callerLog, 'response'), 'no response after ACCEPTED').to.deep.equal([]);
    expect(argsOf(calleeLog, 'closed')).to.deep.equal(['hangup']);
  });

  it('close from the caller: the callee gets closed("hangup")', async () => {
    const { ca, cb } = await connectedPair();
    const closed = next<string>(cb, 'closed', 5000);
    ca.close();
    expect(ca.closeReason).to.equal('hangup');
    expect(await closed).to.equal('hangup');
  });

  it('the callee\'s client signing out hangs up the call for the caller', async () => {
    const { b, ca } = await connectedPair();
    const closed = next<string>(ca, 'closed', 5000);
    await b.close();
    expect(await closed).to.equal('hangup');
  });
});
