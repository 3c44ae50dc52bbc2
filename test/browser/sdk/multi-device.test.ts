// One uid signed in on two clients: both ring, the first to accept wins, a reject from either rejects.
import { expect } from '@open-wc/testing';
import type { Conversation, RemoteStream } from 'wd-video';
import { argsOf, next, record } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { until, within } from '../../shared/wait.js';
import { framesArrive } from '../frames.js';
import { camera, cleanup, client, reach } from './helpers.js';
import { suiteNeeds } from '../engine.js';

async function setup() {
  const bobUid = uniqueUid('bob');
  const a = await client(uniqueUid('alice'));
  const bob1 = await client(bobUid);
  const bob2 = await client(bobUid);
  const called1 = next<Conversation>(bob1, 'called', 5000);
  const called2 = next<Conversation>(bob2, 'called', 5000);
  const conv = a.call(bobUid, await camera());
  const log = record(conv, ['response', 'closed']);
  const [in1, in2] = await Promise.all([called1, called2]);
  expect(in1.callId).to.equal(conv.callId);
  expect(in2.callId).to.equal(conv.callId);
  expect(in1.remoteUid).to.equal(a.uid);
  expect(in2.remoteUid).to.equal(a.uid);
  await reach(conv, 'ringing', 5000);
  return { a, bob1, bob2, conv, log, in1, in2 };
}

describe('one uid on two devices', () => {
  suiteNeeds('webrtc');
  afterEach(cleanup);

  it('both ring; bob1 accepts -> bob2 closes "answered_elsewhere" and alice connects to bob1', async () => {
    const { a, bob1, bob2, conv, log, in1, in2 } = await setup();
    const in2Log = record(in2, ['closed', 'state']);
    const in2Closed = next<string>(in2, 'closed', 8000);
    const aliceStream = next<RemoteStream>(conv, 'stream_received');
    const bobStream = next<RemoteStream>(in1, 'stream_received');
    await in1.accept(await camera());
    expect(await in2Closed).to.equal('answered_elsewhere');
    expect(bob2.conversation).to.equal(undefined);
    await reach(conv, 'connected');
    await reach(in1, 'connected');
    expect(argsOf(log, 'response')).to.deep.equal(['ACCEPTED']);
    await framesArrive((await aliceStream).stream);
    await framesArrive((await bobStream).stream);
    expect(argsOf(in2Log, 'state'), 'bob2 never left ringing except to close').to.deep.equal(['closed']);
    expect(bob1.conversation).to.equal(in1);
    // bob2 pre-warmed while it rang (offer applied, answer made, nothing sent); it is closed now.
    expect(in2.peerConnection?.signalingState ?? 'closed', 'bob2 holds no live peer connection').to.equal('closed');

    // The call is between alice and bob1 only: alice's hang-up reaches bob1.
    const closed = next<string>(in1, 'closed', 5000);
    conv.close();
    expect(await closed).to.equal('hangup');
    expect(a.conversation).to.equal(undefined);
  });

  it('bob2 answering too, at the same time: exactly one device gets the call, both accept() promises settle (3 rounds)', async function () {
    this.timeout(90_000);
    for (let round = 0; round < 3; round++) await bothAccept();
  });

  async function bothAccept() {
    const { conv, in1, in2 } = await setup();
    const [s1, s2] = [await camera(), await camera()];
    const settled: string[] = ['pending', 'pending'];
    const p1 = in1.accept(s1).then(() => (settled[0] = 'fulfilled'), (e) => (settled[0] = `rejected: ${e?.code ?? e}`));
    const p2 = in2.accept(s2).then(() => (settled[1] = 'fulfilled'), (e) => (settled[1] = `rejected: ${e?.code ?? e}`));
    const states = () => `alice ${conv.state}; bob1 ${in1.state}(${in1.closeReason}); bob2 ${in2.state}(${in2.closeReason}); accept(): ${settled.join(' / ')}`;
    await until(
      () => conv.state === 'connected' && [in1, in2].filter((c) => c.state === 'connected').length === 1 && [in1, in2].some((c) => c.state === 'closed'),
      15_000,
      () => `exactly one device to hold the call: ${states()}`,
    );
    const winner = in1.state === 'connected' ? in1 : in2;
    const loser = winner === in1 ? in2 : in1;
    expect(loser.closeReason).to.equal('answered_elsewhere');
    // Media really flows between alice and the winner (ICE alone can pair with the loser; DTLS cannot).
    await until(() => conv.peerConnection?.connectionState === 'connected', 10_000, () => `alice's connectionState connected (is ${conv.peerConnection?.connectionState}): ${states()}`);
    await until(() => !!conv.remoteStream && !!winner.remoteStream, 5000, () => `both remote streams: ${states()}`);
    await framesArrive(conv.remoteStream!.stream);
    await framesArrive(winner.remoteStream!.stream);
    expect(winner.callId).to.equal(conv.callId);
    // The app awaits accept(): it must settle on both devices (fulfilled for the winner, either way for the loser).
    await within(Promise.all([p1, p2]), 5000, () => `both accept() promises settle: ${states()}`);
    expect(settled[winner === in1 ? 0 : 1], `winner's accept(): ${states()}`).to.equal('fulfilled');
    expect(settled[winner === in1 ? 1 : 0], `loser's accept() settles: ${states()}`).to.not.equal('pending');
    // The loser's end (answered_elsewhere, its accept() settled) did not tear the winner's call down.
    expect(winner.state, 'winner still connected').to.equal('connected');
    expect(conv.state).to.equal('connected');
    const closed = next<string>(winner, 'closed', 5000);
    conv.close();
    expect(await closed).to.equal('hangup');
  }

  it('a reject from one device rejects the call: alice hears REJECTED and the other device stops ringing', async () => {
    const { a, bob2, conv, log, in1, in2 } = await setup();
    const in2Closed = next<string>(in2, 'closed', 5000);
    in1.reject();
    await reach(conv, 'closed', 5000);
    expect(argsOf(log, 'response')).to.deep.equal(['REJECTED']);
    expect(argsOf(log, 'closed')).to.deep.equal(['rejected']);
    expect(await in2Closed).to.equal('rejected');
    expect(bob2.conversation).to.equal(undefined);
    expect(a.conversation).to.equal(undefined);
  });

  it('alice cancels: both devices stop ringing with "cancelled"', async () => {
    const { conv, in1, in2 } = await setup();
    const c1 = next<string>(in1, 'closed', 5000);
    const c2 = next<string>(in2, 'closed', 5000);
    conv.close();
    expect(await c1).to.equal('cancelled');
    expect(await c2).to.equal('cancelled');
  });
});
