// Nobody answers: the caller's timer decides TIMEOUT and cancels, so the callee stops ringing.
import { expect } from '@open-wc/testing';
import type { Conversation } from 'wd-video';
import { argsOf, camera, cleanup, client, next, record, reach, sleep, uniqueUid } from './helpers.js';

describe('a call nobody answers', () => {
  afterEach(cleanup);

  it('{timeout: 1500}: caller gets TIMEOUT + closed("timeout"); the callee\'s ringing stops with "timeout"', async () => {
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const called = next<Conversation>(b, 'called');
    const t0 = performance.now();
    const conv = a.call(b.uid!, await camera(), { timeout: 1500 });
    const log = record(conv, ['response', 'closed']);
    const incoming = await called;
    const incomingClosed = next<string>(incoming, 'closed', 8000);
    const incomingLog = record(incoming, ['closed']);

    await reach(conv, 'closed', 6000);
    const callerAt = performance.now() - t0;
    expect(argsOf(log, 'response')).to.deep.equal(['TIMEOUT']);
    expect(argsOf(log, 'closed')).to.deep.equal(['timeout']);
    expect(callerAt, 'caller timed out after ms').to.be.within(1400, 3000);

    expect(await incomingClosed).to.equal('timeout');
    const calleeAt = performance.now() - t0;
    expect(calleeAt - callerAt, 'callee stopped ringing ms after the caller gave up').to.be.below(1000);
    expect(incoming.state).to.equal('closed');
    expect(b.conversation).to.equal(undefined);
    expect(a.conversation).to.equal(undefined);

    // A late accept of the dead call is refused and changes nothing.
    let refused = false;
    await incoming.accept(await camera()).catch(() => (refused = true));
    expect(refused, 'accept() after the timeout rejects').to.equal(true);
    await sleep(300);
    expect(argsOf(log, 'response')).to.have.length(1);
    expect(argsOf(incomingLog, 'closed')).to.have.length(1);
  });

  it('the client-wide timeout option applies too', async () => {
    const a = await client(uniqueUid('alice'), { timeout: 1200 });
    const b = await client(uniqueUid('bob'));
    const called = next<Conversation>(b, 'called');
    const t0 = performance.now();
    const conv = a.call(b.uid!, await camera());
    const response = next<string>(conv, 'response', 5000);
    const incoming = await called;
    const incomingClosed = next<string>(incoming, 'closed', 5000);
    expect(await response).to.equal('TIMEOUT');
    expect(performance.now() - t0).to.be.within(1100, 2800);
    expect(await incomingClosed).to.equal('timeout');
  });

  it('an invalid timeout is refused synchronously and nothing is sent', async () => {
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
    await sleep(500);
    expect(b.counters.received).to.equal(0);
    expect(a.conversation).to.equal(undefined);
  });
});
