// iceTransportPolicy 'relay' really relays: the selected pair goes through coturn on both sides.
import { expect } from '@open-wc/testing';
import type { MediaStats } from 'wd-video';
import { selectedPair } from 'wd-video/internal';
import type { Conversation } from 'wd-video';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { streamFrames } from '../frames.js';
import { camera, cleanup, client, connectedPair, diag, newClient } from './helpers.js';
import { suiteNeeds } from '../engine.js';

describe('relay forced', function () {
  suiteNeeds('webrtc');
  this.timeout(45_000);
  afterEach(cleanup);

  it('{iceTransportPolicy: "relay"}: selected pair is relay on both sides, frames arrive, stats path "relay"', async () => {
    const { ca, cb } = await connectedPair({ relay: true });
    expect(ca.relay).to.equal(true);
    expect(cb.relay, 'the relay flag travelled with the invite').to.equal(true);
    const pa = await selectedPair(ca.peerConnection!);
    const pb = await selectedPair(cb.peerConnection!);
    expect(pa, 'caller has a selected pair').to.not.equal(undefined);
    expect(pb, 'callee has a selected pair').to.not.equal(undefined);
    // Both sides run with policy relay: no host/srflx candidate may be used on either side.
    expect(pa!.local, `caller pair ${JSON.stringify(pa)}`).to.equal('relay');
    expect(pb!.local, `callee pair ${JSON.stringify(pb)}`).to.equal('relay');
    expect(ca.peerConnection!.getConfiguration().iceTransportPolicy).to.equal('relay');
    expect(cb.peerConnection!.getConfiguration().iceTransportPolicy).to.equal('relay');

    // No host candidate of either side was even offered to the other (no IP leak).
    const sdpA = ca.peerConnection!.localDescription!.sdp;
    const sdpB = cb.peerConnection!.localDescription!.sdp;
    expect(sdpA).to.not.match(/typ (host|srflx)/);
    expect(sdpB).to.not.match(/typ (host|srflx)/);

    const fa = streamFrames(ca.remoteStream!.stream);
    const fb = streamFrames(cb.remoteStream!.stream);
    const statsA = next<MediaStats>(ca, 'remote_stats', 6000);
    const statsB = next<MediaStats>(cb, 'local_stats', 6000);
    await fa.more(5);
    await fb.more(5);
    expect((await statsA).path).to.equal('relay');
    expect((await statsB).path).to.equal('relay');
  });

  it('without relay the pair is direct (control: the relay assertion can fail)', async () => {
    const { ca, cb } = await connectedPair();
    const pa = await selectedPair(ca.peerConnection!);
    const pb = await selectedPair(cb.peerConnection!);
    expect(pa!.local).to.not.equal('relay');
    expect(pb!.local).to.not.equal('relay');
    expect(pa!.remote).to.not.equal('relay');
  });

  it('a relay call placed right after creating the client (before sign-in finished) gets TURN servers and connects', async () => {
    const b = await client(uniqueUid('bob'));
    const a = newClient(uniqueUid('alice')); // not started: call() connects it, as video.call() does in the seed
    const sa = await camera();
    const sb = await camera();
    b.on('called', (c: Conversation) => void c.accept(sb));
    const conv = a.call(b.uid!, sa, { iceTransportPolicy: 'relay' });
    await until(() => conv.state === 'connected' || conv.state === 'closed', 20_000, 'connected or closed').catch(() => {});
    const servers = conv.peerConnection?.getConfiguration().iceServers ?? [];
    expect(conv.state, `caller: ${await diag(conv)}; its RTCPeerConnection iceServers: ${JSON.stringify(servers.map((s) => s.urls))}`).to.equal('connected');
    expect(servers.length, 'the caller\'s RTCPeerConnection has the TURN servers').to.be.above(0);
    const pa = await selectedPair(conv.peerConnection!);
    expect(pa!.local).to.equal('relay');
  });
});
