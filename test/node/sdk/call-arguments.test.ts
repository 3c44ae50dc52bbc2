// call()'s third argument: the options object, or (as Wilddog 2.x apps pass
// it) the user data itself. What the callee receives as `data` shows which.
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import type { Conversation } from 'wd-video';
import { memoryNetwork } from '../helpers/memory-client.js';
import { FakeMediaStream, installFakeWebRTC } from '../helpers/fake-webrtc.js';

installFakeWebRTC();

const net = memoryNetwork();
const client = (uid: string) => net.client(uid);

/** alice calls bob with `third` as call()'s third argument; returns both sides. */
async function place(third: unknown) {
  await net.reset(); // one call at a time: no BUSY from an earlier bob
  const [a, b] = [await client('alice'), await client('bob')];
  const called = new Promise<Conversation>((ok) => b.once('called', ok));
  const out = a.call('bob', new FakeMediaStream() as unknown as MediaStream, third);
  return { out, incoming: await called };
}

describe("call()'s third argument", () => {
  beforeEach(() => net.reset());
  after(() => net.close());

  it("a string is the user data, as in videoInstance.call(uid, stream, 'test')", async () => {
    const { incoming } = await place('test');
    assert.equal(incoming.data, 'test');
  });

  it('an object with an option key is the options', async () => {
    const { out, incoming } = await place({ iceTransportPolicy: 'relay', data: { order: 42 } });
    assert.deepEqual(incoming.data, { order: 42 });
    assert.equal(out.relay, true);
    assert.equal(incoming.relay, true);
  });

  it('an object without option keys, an array or a number is the user data', async () => {
    assert.deepEqual((await place({ order: 42, note: 'hi' })).incoming.data, { order: 42, note: 'hi' });
    assert.deepEqual((await place(['a', 1])).incoming.data, ['a', 1]);
    assert.equal((await place(7)).incoming.data, 7);
  });

  it('nothing or an empty object means no data', async () => {
    assert.equal((await place(undefined)).incoming.data, undefined);
    assert.equal((await place({})).incoming.data, undefined);
  });

  it('user data over the limit is refused in either form', async () => {
    const a = await client('alice');
    const big = 'x'.repeat(5000);
    assert.throws(() => a.call('bob', new FakeMediaStream() as unknown as MediaStream, big), { code: 'data_too_large' });
    assert.throws(() => a.call('bob', new FakeMediaStream() as unknown as MediaStream, { data: big }), { code: 'data_too_large' });
  });
});
