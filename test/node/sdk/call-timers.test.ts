// client.diagnostics.callTimers: the timers calls hold (ring timeout, ICE bound,
// stats, candidate batching) while a call is in progress, and none once it has
// ended, however it ended. A timer that outlives its call keeps the call, its
// peer connection and streams alive; the soak (test/e2e/soak.test.ts) checks
// the same after many calls in Chromium.
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import type { Conversation, VideoClient } from 'wd-video';
import { next } from '../../shared/events.js';
import { until } from '../../shared/wait.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { FakeMediaStream, installFakeWebRTC } from '../helpers/fake-webrtc.js';
import { memoryNetwork } from '../helpers/memory-client.js';

installFakeWebRTC();
const net = memoryNetwork();
const stream = () => new FakeMediaStream() as unknown as MediaStream;

/** alice calls bob (ring timeout `timeout`); both sides, bob's ringing. */
async function ring(timeout?: number) {
  const a = await net.client('alice', { timeout });
  const b = await net.client('bob');
  const called = next<Conversation>(b, 'called');
  const conv = a.call('bob', stream());
  return { a, b, conv, incoming: await called };
}

/** Both conversations closed, and then no timer left on either client. */
async function noTimersAfter(a: VideoClient, b: VideoClient, ...convs: Conversation[]) {
  await until(() => convs.every((c) => c.state === 'closed'), 3000, () => `both closed (${convs.map((c) => c.state).join(', ')})`);
  assert.deepEqual([a.diagnostics.callTimers, b.diagnostics.callTimers], [0, 0], 'live call timers on alice, bob');
}

describe('call timers (diagnostics.callTimers)', () => {
  beforeEach(() => net.reset());
  after(() => net.close());

  it('counts the ring timers while it rings', async () => {
    const { a, b, conv, incoming } = await ring();
    // The caller's ring timeout; the callee's fallback for a lost cancel.
    assert.ok(a.diagnostics.callTimers >= 1, `alice holds ${a.diagnostics.callTimers}`);
    assert.ok(b.diagnostics.callTimers >= 1, `bob holds ${b.diagnostics.callTimers}`);
    conv.close();
    await noTimersAfter(a, b, conv, incoming);
  });

  it('answered and hung up: the stats timers stop with the call', async () => {
    const { a, b, conv, incoming } = await ring();
    await incoming.accept(stream());
    await until(() => conv.state === 'connected' && incoming.state === 'connected', 3000, 'both connected');
    assert.ok(a.diagnostics.callTimers >= 1, 'the stats interval runs while connected');
    incoming.close();
    await noTimersAfter(a, b, conv, incoming);
  });

  it('rejected', async () => {
    const { a, b, conv, incoming } = await ring();
    incoming.reject();
    await noTimersAfter(a, b, conv, incoming);
  });

  it('ring timeout', async (t) => {
    const clock = fakeClock(t);
    const { a, b, conv, incoming } = await ring(1500);
    await clock.advance(1500);
    // On the fake clock: no polling, the caller's cancel has arrived once time moved.
    assert.deepEqual([conv.closeReason, incoming.closeReason], ['timeout', 'timeout']);
    assert.deepEqual([a.diagnostics.callTimers, b.diagnostics.callTimers], [0, 0], 'live call timers on alice, bob');
  });

  it('signed out while it rings', async () => {
    const { a, b, conv, incoming } = await ring();
    await a.stop();
    await noTimersAfter(a, b, conv, incoming);
  });
});
