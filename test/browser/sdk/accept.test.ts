import { expect } from '@open-wc/testing';
import type { Conversation, RemoteStream } from 'wd-video';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { framesArrive } from '../frames.js';
import { camera, cleanup, client } from './helpers.js';
import { suiteNeeds } from '../engine.js';

describe('a call that is answered', () => {
  suiteNeeds('webrtc');
  afterEach(cleanup);

  it('connects with media flowing both ways and reports ACCEPTED', async () => {
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const sa = await camera();
    const sb = await camera();
    const called = next<Conversation>(b, 'called');
    const conv = a.call(b.uid!, sa, { data: 'userData' });
    const response = next<string>(conv, 'response');
    const callerStream = next<RemoteStream>(conv, 'stream_received');
    const incoming = await called;
    expect(incoming.remoteUid).to.equal(a.uid);
    expect(incoming.data).to.equal('userData');
    expect(incoming.state).to.equal('incoming');
    const calleeStream = next<RemoteStream>(incoming, 'stream_received');
    const accepted = await incoming.accept(sb);
    expect(accepted).to.equal(incoming);
    expect(await response).to.equal('ACCEPTED');
    await until(() => conv.state === 'connected' && incoming.state === 'connected', 15_000, 'connected');
    await framesArrive((await callerStream).stream);
    await framesArrive((await calleeStream).stream);
  });

  it('hang-up from the caller closes the callee', async () => {
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const called = next<Conversation>(b, 'called');
    const conv = a.call(b.uid!, await camera());
    const incoming = await called;
    await incoming.accept(await camera());
    await until(() => conv.state === 'connected', 15_000, 'connected');
    const closed = next<string>(incoming, 'closed');
    conv.close();
    conv.close(); // idempotent, as the seed's closed handler calls close() again
    expect(await closed).to.equal('hangup');
    expect(conv.closeReason).to.equal('hangup');
    expect(a.conversation).to.equal(undefined);
    expect(b.conversation).to.equal(undefined);
  });
});
