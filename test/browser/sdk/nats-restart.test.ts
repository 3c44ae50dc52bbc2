// nats-server restarted mid-call: media (peer to peer) continues, the clients reconnect,
// and what must arrive (hang-up) still arrives.
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import type { ClientStatus, Conversation, VideoClient } from 'wd-video';
import { argsOf, camera, cleanup, connectedPair, frameCounter, next, record, sleep, until } from './helpers.js';

const restartNats = (downMs: number) => executeServerCommand('wd-stack', { action: 'restart-nats', downMs });

function statuses(c: VideoClient) {
  const s: ClientStatus[] = [];
  c.on('status', (x: ClientStatus) => s.push(x));
  return s;
}

describe('nats-server restarted mid-call', function () {
  this.timeout(90_000);
  afterEach(cleanup);

  it('media continues, status goes reconnecting -> connected, and a later close() reaches the peer', async () => {
    const { a, b, ca, cb } = await connectedPair();
    const fa = frameCounter(ca.remoteStream!.stream);
    const fb = frameCounter(cb.remoteStream!.stream);
    await fa.more(5);
    await fb.more(5);
    const sa = statuses(a);
    const sb = statuses(b);
    const la = record(ca, ['state', 'closed', 'error']);
    const lb = record(cb, ['state', 'closed', 'error']);

    const t0 = performance.now();
    await restartNats(1000);
    const t1 = performance.now();
    expect(t1 - t0, 'the server was really down for a while').to.be.above(900);
    await until(() => a.status === 'connected' && b.status === 'connected' && sa.length > 0 && sb.length > 0, 20_000, `both clients reconnected (alice ${sa}, bob ${sb})`);
    const t2 = performance.now();
    await fa.more(10);
    await fb.more(10);
    const t3 = performance.now();

    expect(sa, 'alice status').to.deep.equal(['reconnecting', 'connected']);
    expect(sb, 'bob status').to.deep.equal(['reconnecting', 'connected']);
    // Media never stopped: frames all through the outage (fake camera ~30 fps; allow slack).
    for (const [who, f] of [['alice', fa], ['bob', fb]] as const) {
      expect(f.between(t0, t1), `${who}: frames while nats was down`).to.be.above(10);
      expect(f.maxGap(t0, t3), `${who}: longest frame gap (ms) during the outage`).to.be.below(1000);
    }
    expect(la, 'alice\'s call had no state change').to.deep.equal([]);
    expect(lb, 'bob\'s call had no state change').to.deep.equal([]);
    expect(ca.state).to.equal('connected');
    expect(cb.state).to.equal('connected');
    console.log(`nats restart: down ${Math.round(t1 - t0)} ms, clients connected again ${Math.round(t2 - t1)} ms after the server was back`);

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
    const t0 = performance.now();
    ca.close();
    expect(ca.closeReason).to.equal('hangup');
    await restarted;
    expect(await closed, 'the hang-up made during the outage arrived').to.equal('hangup');
    const took = performance.now() - t0;
    console.log(`hang-up during the outage arrived after ${Math.round(took)} ms`);
    expect(took).to.be.below(15_000);
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
    await until(() => conv.state === 'connected' && incoming.state === 'connected', 20_000, `connected after the outage (alice ${conv.state}, bob ${incoming.state})`);
    await sleep(200);
  });
});
