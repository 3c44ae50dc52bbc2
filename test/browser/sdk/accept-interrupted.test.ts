// A call that ends while accept() is still answering: accept() must settle (the app
// awaits it) and both sides must close promptly, not after the 15 s ICE timeout.
import { expect } from '@open-wc/testing';
import type { Conversation, VideoClient } from 'wd-video';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { until, within } from '../../shared/wait.js';
import { camera, cleanup, client, ringingPair } from './helpers.js';
import { suiteNeeds } from '../engine.js';

async function ringing() {
  return { ...(await ringingPair()), stream: await camera() };
}

function accepting(incoming: Conversation, stream: MediaStream) {
  const r = { settled: 'pending' as string };
  const p = incoming.accept(stream).then(
    () => (r.settled = 'fulfilled'),
    (e) => (r.settled = `rejected (${e?.code ?? e})`),
  );
  return { r, p };
}

/** accept() settles well before the 15 s ICE timeout could end it. */
async function expectSettled(acc: ReturnType<typeof accepting>, what: string) {
  await within(acc.p, 3000, `${what}: accept() settles`);
  expect(acc.r.settled, what).to.not.equal('pending');
}

const gone = (c: VideoClient) => c.conversation === undefined;

describe('a call that ends while accept() is in progress', () => {
  suiteNeeds('webrtc');
  afterEach(cleanup);

  it('the caller cancels as bob accepts: bob closes "cancelled" within 3 s and accept() settles', async () => {
    const { a, b, conv, incoming, stream } = await ringing();
    const acc = accepting(incoming, stream);
    conv.close();
    expect(conv.closeReason).to.equal('cancelled');
    await until(() => incoming.state === 'closed', 3000, `bob closed after the crossing cancel (state ${incoming.state})`);
    expect(incoming.closeReason).to.equal('cancelled');
    await expectSettled(acc, 'crossing cancel');
    expect(gone(a) && gone(b)).to.equal(true);
  });

  it('bob closes his conversation right after accept(): accept() settles and alice is told', async () => {
    const { conv, incoming, stream } = await ringing();
    const aliceClosed = next<string>(conv, 'closed', 5000);
    const acc = accepting(incoming, stream);
    incoming.close();
    expect(incoming.state).to.equal('closed');
    await expectSettled(acc, 'close during accept');
    expect(['hangup', 'rejected']).to.include(await aliceClosed);
  });

  it('bob signs out right after accept(): accept() settles and alice is told', async () => {
    const { b, conv, incoming, stream } = await ringing();
    const aliceClosed = next<string>(conv, 'closed', 5000);
    const acc = accepting(incoming, stream);
    await b.close();
    expect(incoming.state).to.equal('closed');
    await expectSettled(acc, 'sign-out during accept');
    expect(['hangup', 'rejected', 'cancelled']).to.include(await aliceClosed);
  });

  it('the caller\'s ring timeout fires as bob accepts: both end with "timeout", accept() settles', async () => {
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const called = next<Conversation>(b, 'called');
    const conv = a.call(b.uid!, await camera(), { timeout: 1000 });
    const incoming = await called;
    const stream = await camera();
    // accept as close to the caller's deadline as we can
    await until(() => conv.state === 'closed', 3000, 'the caller times out').catch(() => {});
    const acc = accepting(incoming, stream);
    expect(conv.closeReason).to.equal('timeout');
    await until(() => incoming.state === 'closed', 3000, `bob closed (state ${incoming.state})`);
    expect(incoming.closeReason).to.equal('timeout');
    await expectSettled(acc, 'timeout crossing accept');
    expect(gone(a) && gone(b)).to.equal(true);
  });
});
