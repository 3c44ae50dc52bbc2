// A relayed call between two browsers through coturn running the production
// config (`wd-video config turn`, denied private/loopback peers, no TCP relay,
// quotas): with 127.0.0.2 as the relay's public IP, both sides relay and the
// relays reach each other (allowed-peer-ip), while 127.0.0.1 stays denied.
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import type { Conversation } from 'wd-video';
import { selectedPair } from 'wd-video/internal';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { framesArrive } from '../frames.js';
import { camera, cleanup, client, diag } from './helpers.js';
import { suiteNeeds } from '../engine.js';

describe('production TURN config', () => {
  suiteNeeds('webrtc');
  afterEach(cleanup);

  it('a relay-only call between two browsers connects through it and media flows', async function () {
    this.timeout(45_000);
    const { authUrl, turn } = (await executeServerCommand('wd-stack', { action: 'prod-turn' })) as { authUrl: string; turn: string };
    const a = await client(uniqueUid('alice'), { authUrl });
    const b = await client(uniqueUid('bob'), { authUrl });
    const called = next<Conversation>(b, 'called');
    const conv = a.call(b.uid!, await camera(), { iceTransportPolicy: 'relay' });
    const incoming = await called;
    const remote = next<{ stream: MediaStream }>(incoming, 'stream_received');
    await incoming.accept(await camera());
    await until(() => conv.state === 'connected' || conv.state === 'closed', 20_000, () => `connected (caller is ${conv.state})`);
    expect(conv.state, await diag(conv)).to.equal('connected');
    const servers = conv.peerConnection!.getConfiguration().iceServers ?? [];
    expect(JSON.stringify(servers.map((s) => s.urls)), 'the TURN server is the production one').to.contain(turn);
    const pair = await selectedPair(conv.peerConnection!);
    expect(pair?.local, JSON.stringify(pair)).to.equal('relay');
    expect(pair?.remote, JSON.stringify(pair)).to.equal('relay');
    await framesArrive((await remote).stream);
  });
});
