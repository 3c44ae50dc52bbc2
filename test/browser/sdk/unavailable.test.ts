// The callee is offline: NATS "no responders" gives UNAVAILABLE, not a 30 s TIMEOUT, once it
// lasted NO_RESPONDERS_GRACE_MS (3 s: the callee may be failing over to another node). The
// exact timing is proven on a fake clock in test/node/sdk/call-flows.test.ts.
import { expect } from '@open-wc/testing';
import { argsOf, record } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { camera, cleanup, client, newClient, reach } from './helpers.js';
import { suiteNeeds } from '../engine.js';

describe('calling somebody who is offline', () => {
  suiteNeeds('webrtc');
  afterEach(cleanup);

  it('a uid nobody signed in as: UNAVAILABLE', async () => {
    const a = await client(uniqueUid('alice'));
    const s = await camera();
    const conv = a.call(uniqueUid('nobody'), s);
    const log = record(conv, ['response', 'closed']);
    await reach(conv, 'closed', 8000);
    expect(argsOf(log, 'response')).to.deep.equal(['UNAVAILABLE']);
    expect(argsOf(log, 'closed')).to.deep.equal(['unavailable']);
    expect(a.conversation).to.equal(undefined);
  });

  it('a user who signed out: UNAVAILABLE', async () => {
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    await b.close();
    const s = await camera();
    const conv = a.call(b.uid!, s);
    const log = record(conv, ['response', 'closed']);
    await reach(conv, 'closed', 8000);
    expect(argsOf(log, 'response')).to.deep.equal(['UNAVAILABLE']);
    expect(argsOf(log, 'closed')).to.deep.equal(['unavailable']);
  });

  it('calling before the client finished connecting still reaches UNAVAILABLE', async () => {
    const a = newClient(uniqueUid('alice'));
    const s = await camera();
    const conv = a.call(uniqueUid('nobody'), s); // call() connects the client itself
    const log = record(conv, ['response', 'closed']);
    await reach(conv, 'closed', 8000);
    expect(argsOf(log, 'response')).to.deep.equal(['UNAVAILABLE']);
  });

  it('stop() makes bob unreachable (UNAVAILABLE) and start() makes him reachable again', async () => {
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const s = await camera();
    await b.stop();
    expect(b.status).to.equal('disconnected');
    const conv = a.call(b.uid!, s);
    const log = record(conv, ['response']);
    await reach(conv, 'closed', 8000);
    expect(argsOf(log, 'response')).to.deep.equal(['UNAVAILABLE']);
    await b.start();
    expect(b.status).to.equal('connected');
    const called = new Promise((ok) => b.once('called', ok));
    const again = a.call(b.uid!, s);
    await called;
    await reach(again, 'ringing', 5000);
  });

  it('calling your own uid with no other device signed in is refused at once', async () => {
    const a = await client(uniqueUid('alice'));
    const s = await camera();
    let conv;
    try {
      conv = a.call(a.uid!, s);
    } catch (e) {
      // refusing synchronously is fine too, with a clear error
      expect((e as { code?: string }).code).to.equal('invalid_argument');
      expect(a.conversation).to.equal(undefined);
      return;
    }
    // Or it ends UNAVAILABLE without inviting anyone (the token sign-in path, in call-flows.test.ts).
    const log = record(conv, ['response', 'closed']);
    await reach(conv, 'closed', 15_000);
    expect(argsOf(log, 'response')).to.deep.equal(['UNAVAILABLE']);
  });
});
