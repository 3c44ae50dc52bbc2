// nats-server restarted mid-call: media (peer to peer) continues, the clients reconnect,
// and what must arrive (hang-up) still arrives.
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import type { ClientStatus, Conversation, VideoClient } from 'wd-video';
import { argsOf, next, record } from '../../shared/events.js';
import { until } from '../../shared/wait.js';
import { framesArrive, streamFrames } from '../frames.js';
import { camera, cleanup, connectedPair } from './helpers.js';
import { suiteNeeds } from '../engine.js';

const restartNats = (downMs: number) => executeServerCommand('wd-stack', { action: 'restart-nats', downMs });

function statuses(c: VideoClient) {
  const s: ClientStatus[] = [];
  c.on('status', (x: ClientStatus) => s.push(x));
  return s;
}

describe('nats-server restarted mid-call', function () {
  suiteNeeds('webrtc');
  this.timeout(90_000);
  afterEach(cleanup);

  it('media continues, status goes reconnecting -> connected, and a later close() reaches the peer', async () => {
    const { a, b, ca, cb } = await connectedPair();
    const fa = streamFrames(ca.remoteStream!.stream);
    const fb = streamFrames(cb.remoteStream!.stream);
    await fa.more(5);
    await fb.more(5);
    const sa = statuses(a);
    const sb = statuses(b);
    const la = record(ca, ['state', 'closed', 'error']);
    const lb = record(cb, ['state', 'closed', 'error']);

    // Down long enough to see media flow meanwhile; the clients' statuses mark the outage.
    const restarted = restartNats(4000);
    const bothDown = () => a.status === 'reconnecting' && b.status === 'reconnecting';
    await until(bothDown, 10_000, () => `both clients notice the outage (alice ${sa}, bob ${sb})`);
    const [na, nb] = [fa.count(), fb.count()];
    await until(() => fa.count() >= na + 10 && fb.count() >= nb + 10, 10_000, () => `10 frames each way (alice ${fa.count() - na}, bob ${fb.count() - nb})`);
    expect(bothDown(), 'those frames arrived while nats was down').to.equal(true);
    await restarted;
    await until(() => a.status === 'connected' && b.status === 'connected', 20_000, () => `both clients reconnected (alice ${sa}, bob ${sb})`);
    await fa.more(10);
    await fb.more(10);

    expect(sa, 'alice status').to.deep.equal(['reconnecting', 'connected']);
    expect(sb, 'bob status').to.deep.equal(['reconnecting', 'connected']);
    expect(la, 'alice\'s call had no state change').to.deep.equal([]);
    expect(lb, 'bob\'s call had no state change').to.deep.equal([]);
    expect(ca.state).to.equal('connected');
    expect(cb.state).to.equal('connected');

    const closed = next<string>(cb, 'closed', 10_000);
    ca.close();
    expect(await closed, 'hang-up after the reconnect reaches bob').to.equal('hangup');
    expect(argsOf(lb, 'closed')).to.deep.equal(['hangup']);

    // Signaling is fully back: a new call rings.
    const called = next<Conversation>(b, 'called', 10_000);
    const again = a.call(b.uid!, await camera());
    await called;
    await until(() => again.state === 'ringing', 5000, 'ringing');
  });

  it('a close() made while nats is down still reaches the peer once it is back', async () => {
    const { a, b, ca, cb } = await connectedPair();
    const closed = next<string>(cb, 'closed', 30_000);
    const restarted = restartNats(2500);
    await until(() => a.status === 'reconnecting' && b.status === 'reconnecting', 10_000, `both notice the outage (alice ${a.status}, bob ${b.status})`);
    ca.close();
    expect(ca.closeReason).to.equal('hangup');
    await restarted;
    expect(await closed, 'the hang-up made during the outage arrived').to.equal('hangup');
    expect(b.conversation).to.equal(undefined);
  });

  it('a call answered right after a restart connects (answer sent while reconnecting is not lost)', async () => {
    const { a, b } = await connectedPair().then(async (p) => {
      const closed = next<string>(p.cb, 'closed', 5000);
      p.ca.close();
      await closed;
      return p;
    });
    const called = next<Conversation>(b, 'called', 10_000);
    const conv = a.call(b.uid!, await camera());
    const incoming = await called;
    await until(() => conv.state === 'ringing', 5000, 'ringing');
    const restarted = restartNats(1500);
    await until(() => b.status === 'reconnecting', 10_000, 'bob notices the outage');
    const accepted = incoming.accept(await camera());
    await restarted;
    await accepted;
    await until(() => conv.state === 'connected' && incoming.state === 'connected', 20_000, () => `connected after the outage (alice ${conv.state}, bob ${incoming.state})`);
    await framesArrive(conv.remoteStream!.stream);
  });
});
