// The state table governs: every move a conversation makes is in it, the
// callee passes through `answering`, and a forbidden move is an error that
// development builds throw and production builds count and report.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, beforeEach, describe, it } from 'node:test';
import type { CallState, Conversation } from 'wd-video';
import { canMove, isLive, isRinging } from 'wd-video/internal';
import { memoryNetwork } from '../helpers/memory-client.js';
import { FakeMediaStream, installFakeWebRTC } from '../helpers/fake-webrtc.js';

installFakeWebRTC();

const net = memoryNetwork();
const client = (uid: string) => net.client(uid);
const stream = () => new FakeMediaStream() as unknown as MediaStream;

/** Every state a conversation moves through, checked against the table as it happens. */
function track(conv: Conversation) {
  const moves: CallState[] = [conv.state];
  conv.on('state', (next, prev) => {
    assert.ok(canMove(prev, next), `${prev} -> ${next} is not in the table`);
    moves.push(next);
  });
  return moves;
}

function whenState(conv: Conversation, state: CallState) {
  return new Promise<void>((ok) => {
    if (conv.state === state) return ok();
    conv.on('state', (s) => s === state && ok());
  });
}

describe('the state machine', () => {
  beforeEach(() => net.reset());
  after(() => net.close());

  it('the callee moves incoming -> answering -> connecting/connected, and stream_received waits for accept()', async () => {
    const a = await client('alice');
    const b = await client('bob');
    const called = new Promise<Conversation>((ok) => b.once('called', ok));
    const out = a.call('bob', stream());
    const outMoves = track(out);
    const incoming = await called;
    const inMoves = track(incoming);
    assert.ok(isRinging(incoming.state));
    const order: string[] = [];
    incoming.on('stream_received', () => order.push('stream_received'));
    const accepted = incoming.accept(stream()).then(() => order.push('accept resolved'));
    assert.equal(incoming.state, 'answering', 'accept() moves to answering at once');
    assert.ok(isLive(incoming.state) && !isRinging(incoming.state));
    await accepted;
    await Promise.all([whenState(out, 'connected'), whenState(incoming, 'connected')]);
    await new Promise((r) => setTimeout(r)); // stream_received is announced a task after accept() resolves
    assert.deepEqual(outMoves, ['calling', 'ringing', 'connecting', 'connected']);
    assert.equal(inMoves[0], 'incoming');
    assert.equal(inMoves[1], 'answering');
    assert.equal(inMoves.at(-1), 'connected');
    assert.deepEqual(order, ['accept resolved', 'stream_received']);
  });

  it('a ringing caller that hangs up sends cancel; after the answer it sends hangup', async () => {
    const a = await client('alice');
    const b = await client('bob');
    // The types of what alice sent bob since `from`, from the hub's log of routed messages.
    const sentSince = (from: number) =>
      net.hub.log.slice(from).filter((m) => m.from === 'alice' && m.subject.startsWith('wd.u.bob.alice.')).map((m) => m.subject.split('.').pop()!);
    let mark = net.hub.log.length;
    let called = new Promise<Conversation>((ok) => b.once('called', ok));
    let out = a.call('bob', stream());
    const first = await called;
    await whenState(out, 'ringing');
    out.close();
    await whenState(first, 'closed');
    assert.equal(first.closeReason, 'cancelled');
    let seen = sentSince(mark);
    assert.ok(seen.includes('cancel') && !seen.includes('hangup'), seen.join(','));

    mark = net.hub.log.length;
    called = new Promise<Conversation>((ok) => b.once('called', ok));
    out = a.call('bob', stream());
    const second = await called;
    await second.accept(stream());
    await whenState(out, 'connected');
    out.close();
    await whenState(second, 'closed');
    assert.equal(second.closeReason, 'hangup');
    seen = sentSince(mark);
    assert.ok(seen.includes('hangup') && !seen.includes('cancel'), seen.join(','));
  });
});

describe('a move the table forbids', () => {
  const fixture = fileURLToPath(new URL('../fixtures/illegal-transition.js', import.meta.url));
  const run = (conditions: string[]) =>
    new Promise<{ threw?: string; errors: string[]; state: string; illegalTransitions: number }>((ok, fail) =>
      execFile(process.execPath, [...conditions, fixture], { timeout: 20_000 }, (err, stdout, stderr) =>
        err ? fail(new Error(`${err.message}\n${stderr}`)) : ok(JSON.parse(stdout.trim().split('\n').pop()!)),
      ),
    );

  it('throws invalid_state in the development build', async () => {
    const r = await run(['--conditions=development']);
    assert.equal(r.threw, 'invalid_state');
    assert.equal(r.state, 'calling', 'the state did not change');
  });

  it('is counted and reported as an error event in the production build, and the call goes on', async () => {
    const r = await run([]);
    assert.equal(r.threw, undefined);
    assert.deepEqual(r.errors, ['invalid_state']);
    assert.equal(r.illegalTransitions, 1);
    assert.equal(r.state, 'calling', 'the state did not change');
  });
});
