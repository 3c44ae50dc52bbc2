// A declined call: the caller hears REJECTED and closes with `rejected`; the callee closes too.
import { expect } from '@open-wc/testing';
import type { Conversation } from 'wd-video';
import { argsOf, next, record } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { callThrough, camera, cleanup, client, reach } from './helpers.js';
import { suiteNeeds } from '../engine.js';

describe('a call that is rejected', () => {
  suiteNeeds('webrtc');
  afterEach(cleanup);

  it('caller gets REJECTED and closed("rejected"); the callee closes with "rejected"', async () => {
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const called = next<Conversation>(b, 'called');
    const conv = a.call(b.uid!, await camera());
    const log = record(conv, ['response', 'closed', 'state']);
    const incoming = await called;
    const incomingLog = record(incoming, ['closed', 'state']);
    await reach(conv, 'ringing', 5000);
    // Watched while it is open: Firefox throws on reading remoteDescription of a closed RTCPeerConnection.
    const aliceSignaling: string[] = [];
    conv.peerConnection!.addEventListener('signalingstatechange', (e) => aliceSignaling.push((e.target as RTCPeerConnection).signalingState));

    incoming.reject();
    await reach(conv, 'closed', 5000);

    expect(argsOf(log, 'response')).to.deep.equal(['REJECTED']);
    expect(argsOf(log, 'closed')).to.deep.equal(['rejected']);
    expect(conv.closeReason).to.equal('rejected');
    expect(argsOf(incomingLog, 'closed')).to.deep.equal(['rejected']);
    expect(incoming.state).to.equal('closed');
    // bob pre-warmed while it rang (offer applied, answer made, candidates gathered) and sent none of it.
    expect(incoming.peerConnection?.signalingState ?? 'closed', "callee's peer connection is closed").to.equal('closed');
    expect(aliceSignaling, 'alice never applied an answer (that would make her signaling state stable)').to.not.include('stable');
    expect(a.conversation).to.equal(undefined);
    expect(b.conversation).to.equal(undefined);

    // Nothing else happens afterwards (no second response, no second closed), up to a checkpoint.
    incoming.reject();
    conv.close();
    await callThrough(b, a);
    expect(argsOf(log, 'response')).to.have.length(1);
    expect(argsOf(log, 'closed')).to.have.length(1);
    expect(argsOf(incomingLog, 'closed')).to.have.length(1);
  });

  it('close() on a ringing incoming call rejects it too', async () => {
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const called = next<Conversation>(b, 'called');
    const conv = a.call(b.uid!, await camera());
    const response = next<string>(conv, 'response', 5000);
    const closed = next<string>(conv, 'closed', 5000);
    const incoming = await called;
    incoming.close();
    expect(await response).to.equal('REJECTED');
    expect(await closed).to.equal('rejected');
    expect(incoming.closeReason).to.equal('rejected');
  });
});
