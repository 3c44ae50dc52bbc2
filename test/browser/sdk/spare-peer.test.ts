// The spare peer connection (signaling/media/spare-peer.ts): a signed-in idle
// client keeps one RTCPeerConnection that gathers ahead (iceCandidatePoolSize),
// so the next call it places starts with its TURN allocations made. It must
// never outlive what it was made for: stop() closes it, a credential refresh
// replaces it, a relay call narrows it to relay candidates, and there is at
// most one open at a time.
import { expect } from '@open-wc/testing';
import type { Conversation } from 'wd-video';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { onCleanup } from '../cleanup.js';
import { camera, cleanup, client, reach, tokenService } from './helpers.js';
import { suiteNeeds } from '../engine.js';

/** Every RTCPeerConnection the page makes with a candidate pool (the spares) until the test ends. */
function watchSpares(): RTCPeerConnection[] {
  const made: RTCPeerConnection[] = [];
  const Real = window.RTCPeerConnection;
  class Watched extends Real {
    constructor(config?: RTCConfiguration) {
      super(config);
      if ((config?.iceCandidatePoolSize ?? 0) > 0) made.push(this);
    }
  }
  window.RTCPeerConnection = Watched;
  onCleanup(() => (window.RTCPeerConnection = Real));
  return made;
}

const open = (pcs: RTCPeerConnection[]) => pcs.filter((pc) => pc.signalingState !== 'closed');
const turnUser = (pc: RTCPeerConnection) => pc.getConfiguration().iceServers?.find((s) => s.username)?.username;

describe('spare peer connection', function () {
  suiteNeeds('webrtc');
  this.timeout(30_000);
  afterEach(cleanup);

  it('a signed-in idle client keeps one, with its TURN servers; stop() closes it', async () => {
    const spares = watchSpares();
    const a = await client(uniqueUid('alice'));
    await until(() => open(spares).length === 1, 5000, 'a spare after sign-in');
    expect(turnUser(spares[0]!), 'made with the session TURN credentials').to.be.a('string');
    await a.stop();
    expect(spares.length, 'no other spare made on the way out').to.equal(1);
    expect(spares[0]!.signalingState, 'closed by stop()').to.equal('closed');
  });

  it('a credential refresh closes the old one and makes one with the new TURN credentials', async function () {
    this.timeout(45_000);
    const spares = watchSpares();
    const authUrl = await tokenService({ credentialTtl: 6 });
    await client(uniqueUid('alice'), { authUrl });
    await until(() => spares.length === 1, 5000, 'a spare after sign-in');
    // A 6 s lifetime is refreshed 2 s before it ends.
    await until(() => spares.length === 2, 15_000, () => `a new spare after the refresh (${spares.length})`);
    expect(spares[0]!.signalingState, 'the old one is closed').to.equal('closed');
    expect(open(spares), 'one open at a time').to.deep.equal([spares[1]]);
    expect(turnUser(spares[1]!), 'new credentials').to.not.equal(turnUser(spares[0]!));
  });

  it("a relay call takes it and offers only relay candidates; the callee's prewarm does not take it; a new one follows the call", async () => {
    const spares = watchSpares();
    const a = await client(uniqueUid('alice'));
    const b = await client(uniqueUid('bob'));
    await until(() => open(spares).length === 2, 5000, 'one spare each');
    const [spareA] = spares;
    const called = next<Conversation>(b, 'called');
    const conv = a.call(b.uid!, await camera(), { iceTransportPolicy: 'relay' });
    const incoming = await called;
    await reach(conv, 'ringing', 5000);
    expect(conv.peerConnection, "the call runs on alice's spare").to.equal(spareA);
    expect(spares.includes(incoming.peerConnection!), "bob's ringing call has a connection of its own").to.equal(false);
    await until(() => conv.peerConnection!.iceGatheringState === 'complete', 10_000, "alice's gathering complete");
    const sdp = conv.peerConnection!.localDescription!.sdp;
    expect(sdp, 'relay candidates offered').to.match(/typ relay/);
    expect(sdp, 'no host or srflx candidate of the pool surfaces').to.not.match(/typ (host|srflx)/);
    await incoming.accept(await camera());
    await reach(conv, 'connected');
    const closed = next(incoming, 'closed');
    conv.close();
    await closed;
    await until(() => open(spares).length === 2, 5000, () => `a spare each again (${open(spares).length} open)`);
    expect(spareA!.signalingState, 'the call closed it with itself').to.equal('closed');
  });
});
