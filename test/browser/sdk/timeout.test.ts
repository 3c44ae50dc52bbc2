// Nobody answers: the caller's timer decides TIMEOUT and cancels, so the callee stops ringing.
// When the timer fires (to the ms) is proven on a fake clock in test/node/sdk/call-flows.test.ts.
import { expect } from '@open-wc/testing';
import type { Conversation } from 'wd-video';
import { argsOf, next, record } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { callThrough, camera, cleanup, client, expectNothingSent, reach } from './helpers.js';
import { needs } from '../engine.js';

describe('a call nobody answers', () => {
  afterEach(cleanup);

  it('{timeout: 1500}: caller gets TIMEOUT + closed("timeout"); the callee\'s ringing stops with "timeout"', async function () {
    needs(this, 'webrtc');
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const called = next<Conversation>(b, 'called');
    const conv = a.call(b.uid!, await camera(), { timeout: 1500 });
    const log = record(conv, ['response', 'closed']);
    const incoming = await called;
    const incomingClosed = next<string>(incoming, 'closed', 8000);
    const incomingLog = record(incoming, ['closed']);

    await reach(conv, 'closed', 6000);
    expect(argsOf(log, 'response')).to.deep.equal(['TIMEOUT']);
    expect(argsOf(log, 'closed')).to.deep.equal(['timeout']);
    // The caller's cancel, not the callee's own fallback (ttl + 5 s): within the wait below.
    expect(await incomingClosed).to.equal('timeout');
    expect(incoming.state).to.equal('closed');
    expect(b.conversation).to.equal(undefined);
    expect(a.conversation).to.equal(undefined);

    // A late accept of the dead call is refused and changes nothing.
    let refused = false;
    await incoming.accept(await camera()).catch(() => (refused = true));
    expect(refused, 'accept() after the timeout rejects').to.equal(true);
    await callThrough(b, a); // anything the late accept() sent has arrived by now
    expect(argsOf(log, 'response')).to.have.length(1);
    expect(argsOf(incomingLog, 'closed')).to.have.length(1);
  });

  it('the client-wide timeout option applies too', async function () {
    needs(this, 'webrtc');
    const a = await client(uniqueUid('alice'), { timeout: 1200 });
    const b = await client(uniqueUid('bob'));
    const called = next<Conversation>(b, 'called');
    const conv = a.call(b.uid!, await camera());
    // 5 s, against the 30 s default: only the client's 1.2 s can time out within it.
    const response = next<string>(conv, 'response', 5000);
    const incoming = await called;
    const incomingClosed = next<string>(incoming, 'closed', 5000);
    expect(await response).to.equal('TIMEOUT');
    expect(await incomingClosed).to.equal('timeout');
  });

  it('an invalid timeout is refused synchronously and nothing is sent', async function () {
    // The "nothing is sent" checkpoint is a call.
    needs(this, 'webrtc');
    const { WdVideoError } = await import('wd-video');
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const s = await camera();
    for (const timeout of [0, -5, Number.NaN, 600_001]) {
      let err: unknown;
      try {
        a.call(b.uid!, s, { timeout });
      } catch (e) {
        err = e;
      }
      expect(err, `timeout ${timeout}`).to.be.instanceOf(WdVideoError);
      expect((err as InstanceType<typeof WdVideoError>).code).to.equal('invalid_argument');
    }
    expect(a.conversation).to.equal(undefined);
    await expectNothingSent(a, b, 0);
  });
});
