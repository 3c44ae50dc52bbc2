// A rolling restart of a real 3-node nats-server cluster, one node at a time in
// lame duck mode (SIGUSR2), while 50 calls are live: the SDK's clients move off
// each node when it announces lame duck mode, no call is dropped, and every
// reliable message (answers and hang-ups of calls made during the restart, and
// the hang-ups of the 50 calls after it) arrives. The clients are the real SDK
// (VideoClient, nats.ws) in Node; media is the fake WebRTC of the unit tests,
// since what is under test is signaling (media is peer to peer and never
// touches nats-server: test/browser/sdk/failover.test.ts shows real media
// through a node kill).
import '../helpers/ws-shim.js';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { VideoClient, type Conversation } from 'wd-video';
import { loadConfig } from '@wd-video/server/config.js';
import { startStack, type Stack } from '@wd-video/server/stack.js';
import { next, record } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { FakeMediaStream, installFakeWebRTC } from '../helpers/fake-webrtc.js';
import { killMentioning, tempStateDir } from '../helpers/procs.js';

installFakeWebRTC();
const stateDir = tempStateDir('rolling');
let stack: Stack | undefined;
const clients: VideoClient[] = [];
const stream = () => new FakeMediaStream() as unknown as MediaStream;
const LIVE_CALLS = 50;

before(async () => {
  stack = await startStack(loadConfig({}, { stateDir, anonymous: true, rateLimit: 100_000 }), { natsNodes: 3, freePorts: true });
});
after(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await stack?.stop();
  killMentioning(stateDir); // only if stop() failed; the dir name is unique to this run
  rmSync(stateDir, { recursive: true, force: true });
});

async function signedIn(prefix: string): Promise<VideoClient> {
  const c = new VideoClient({ authUrl: `${stack!.url}/v1/session`, anonymous: { uid: uniqueUid(prefix) } });
  clients.push(c);
  await c.start();
  return c;
}

/** a calls b, b accepts: both connected. */
async function call(a: VideoClient, b: VideoClient) {
  const called = next<Conversation>(b, 'called', 15_000);
  const conv = a.call(b.uid!, stream());
  const incoming = await called;
  await incoming.accept(stream());
  await until(() => conv.state === "connected" && incoming.state === "connected", 15_000, () => `connected (${conv.state} ${conv.closeReason ?? ""}, ${incoming.state} ${incoming.closeReason ?? ""})`);
  return { conv, incoming };
}

/** A whole short call (answer and hang-up are reliable messages); resolves with what failed, if anything. */
async function shortCall(a: VideoClient, b: VideoClient): Promise<string | undefined> {
  try {
    const { conv, incoming } = await call(a, b);
    const closed = next<string>(incoming, 'closed', 20_000);
    conv.close();
    const reason = await closed;
    return reason === 'hangup' ? undefined : `closed ${reason}`;
  } catch (e) {
    return (e as Error).message;
  }
}

test(`rolling restart in lame duck mode with ${LIVE_CALLS} live calls: none dropped, no reliable message lost`, { timeout: 240_000 }, async () => {
  const pairs = await Promise.all(Array.from({ length: LIVE_CALLS }, async () => [await signedIn('alice'), await signedIn('bob')] as const));
  const live = await Promise.all(pairs.map(([a, b]) => call(a, b)));
  const changes = live.map(({ conv, incoming }) => [record(conv, ['state', 'closed', 'error']), record(incoming, ['state', 'closed', 'error'])]);
  const spare = await Promise.all(Array.from({ length: 5 }, async () => [await signedIn('carol'), await signedIn('dave')] as const));
  const t0 = Date.now();

  const failures: string[] = [];
  let shortCalls = 0;
  for (let node = 0; node < stack!.nats.length; node++) {
    // Calls made while the node goes down and comes back: their answers and hang-ups must arrive.
    const restart = stack!.lameDuckRestart(node);
    let restarting = true;
    void restart.finally(() => (restarting = false));
    while (restarting) {
      const batch = await Promise.all(spare.map(([a, b]) => shortCall(a, b)));
      shortCalls += batch.length;
      failures.push(...batch.filter((f): f is string => !!f).map((f) => `node ${node + 1}: ${f}`));
    }
    await restart;
    await until(() => clients.every((c) => c.status === 'connected'), 15_000, 'every client connected after the restart');
  }

  console.log(`rolling restart figures: 3 nodes restarted in ${Date.now() - t0} ms, ${shortCalls} short calls meanwhile, ${failures.length} failed`);
  assert.deepEqual(failures, [], `${shortCalls} short calls during the restart, none lost a message`);
  assert.ok(shortCalls >= 15 * 3, `short calls ran during each restart (${shortCalls})`);
  assert.deepEqual(changes.flat().filter((c) => c.length).length, 0, 'no live call changed state or ended');
  // Every live call still works end to end: its hang-up reaches the other side.
  const closed = live.map(({ incoming }) => next<string>(incoming, 'closed', 20_000));
  for (const { conv } of live) conv.close();
  assert.deepEqual(await Promise.all(closed), live.map(() => 'hangup'));
});
