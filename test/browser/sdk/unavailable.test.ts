// The callee is offline: NATS "no responders" gives UNAVAILABLE at once, not a 30 s TIMEOUT.
import { expect } from '@open-wc/testing';
import { argsOf, camera, cleanup, client, newClient, record, reach, uniqueUid } from './helpers.js';

describe('calling somebody who is offline', () => {
  afterEach(cleanup);

  it('a uid nobody signed in as: UNAVAILABLE within 1000 ms of call()', async () => {
    const a = await client(uniqueUid('alice'));
    const s = await camera();
    const t0 = performance.now();
    const conv = a.call(uniqueUid('nobody'), s);
    const log = record(conv, ['response', 'closed']);
    await reach(conv, 'closed', 5000);
    const took = performance.now() - t0;
    expect(argsOf(log, 'response')).to.deep.equal(['UNAVAILABLE']);
    expect(argsOf(log, 'closed')).to.deep.equal(['unavailable']);
    expect(log[0].at - t0, 'UNAVAILABLE after ms').to.be.below(1000);
    expect(took).to.be.below(1000);
    expect(a.conversation).to.equal(undefined);
  });

  it('a user who signed out: UNAVAILABLE within 1000 ms', async () => {
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    await b.close();
    const s = await camera();
    const t0 = performance.now();
    const conv = a.call(b.uid!, s);
    const log = record(conv, ['response', 'closed']);
    await reach(conv, 'closed', 5000);
    expect(argsOf(log, 'response')).to.deep.equal(['UNAVAILABLE']);
    expect(argsOf(log, 'closed')).to.deep.equal(['unavailable']);
    expect(performance.now() - t0).to.be.below(1000);
  });

  it('calling before the client finished connecting still reaches UNAVAILABLE quickly', async () => {
    const a = newClient(uniqueUid('alice'));
    const s = await camera();
    const t0 = performance.now();
    const conv = a.call(uniqueUid('nobody'), s); // call() connects the client itself
    const log = record(conv, ['response', 'closed']);
    await reach(conv, 'closed', 5000);
    expect(argsOf(log, 'response')).to.deep.equal(['UNAVAILABLE']);
    expect(performance.now() - t0, 'including sign-in and connect').to.be.below(2500);
  });

  it('stop() makes bob unreachable (UNAVAILABLE) and start() makes him reachable again', async () => {
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const s = await camera();
    await b.stop();
    expect(b.status).to.equal('disconnected');
    const conv = a.call(b.uid!, s);
    const log = record(conv, ['response']);
    await reach(conv, 'closed', 3000);
    expect(argsOf(log, 'response')).to.deep.equal(['UNAVAILABLE']);
    await b.start();
    expect(b.status).to.equal('connected');
    const called = new Promise((ok) => b.once('called', ok));
    const again = a.call(b.uid!, s);
    await called;
    await reach(again, 'ringing', 5000);
  });

  it('calling your own uid with no other device signed in ends quickly, not after the retries', async () => {
    const a = await client(uniqueUid('alice'));
    const s = await camera();
    const t0 = performance.now();
    let conv;
    try {
      conv = a.call(a.uid!, s);
    } catch (e) {
      // refusing synchronously is fine too, with a clear error
      expect((e as { code?: string }).code).to.equal('invalid_argument');
      expect(a.conversation).to.equal(undefined);
      return;
    }
    const log = record(conv, ['response', 'closed']);
    await reach(conv, 'closed', 15_000);
    const took = performance.now() - t0;
    expect(took, `ended after ${Math.round(took)} ms with ${JSON.stringify(log.map((r) => r.args[0]))}`).to.be.below(2000);
  });
});
