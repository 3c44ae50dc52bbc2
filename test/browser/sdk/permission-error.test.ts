// A permission violation is reported by nats-server asynchronously on the
// connection's status stream; the client must surface it as an `error` event
// (not swallow it) and keep working.
import { expect } from '@open-wc/testing';
import type { Conversation, WdVideoError } from 'wd-video';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { camera, cleanup, client } from './helpers.js';
import { suiteNeeds } from '../engine.js';

describe('permission errors', () => {
  suiteNeeds('webrtc');
  afterEach(cleanup);

  it('publishing as another user surfaces as error(permission_denied) and the client still places calls', async () => {
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    const error = next<WdVideoError>(a, 'error');
    // Reach under the API the way a buggy or hostile page script could.
    const transport = (a as unknown as { transport: { publish(s: string, d: Uint8Array): void } }).transport;
    transport.publish(`wd.u.${b.uid}.someone-else.hangup`, new TextEncoder().encode('{}'));
    const err = await error;
    expect(err.code).to.equal('permission_denied');
    const called = next<Conversation>(b, 'called');
    a.call(b.uid!, await camera());
    expect((await called).remoteUid).to.equal(a.uid);
  });
});
