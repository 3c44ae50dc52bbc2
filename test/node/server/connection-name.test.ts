// Operators see who is connected: the SDK names its NATS connection
// `wd-video/<uid>`, and nats-server's /connz lists it under that name.
import '../helpers/ws-shim.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VideoClient } from 'wd-video';
import { uniqueUid } from '../../shared/ids.js';
import { until } from '../../shared/wait.js';
import { stackEnv } from '../helpers/stack-env.js';

interface Connz {
  connections: { name?: string; account?: string }[];
}

async function connectionNames(): Promise<string[]> {
  const port = process.env.WD_TEST_NATS_MONITOR;
  assert.ok(port && port !== '0', 'the test stack runs nats-server with a monitoring port (WD_TEST_NATS_MONITOR)');
  const res = await fetch(`http://127.0.0.1:${port}/connz?limit=1024`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as Connz;
  return body.connections.map((c) => c.name ?? '');
}

test('a signed-in client shows in /connz as wd-video/<uid>, and is gone after close()', { timeout: 30_000 }, async () => {
  const uid = uniqueUid('operator-visible');
  const client = new VideoClient({ authUrl: `${stackEnv().httpUrl}/v1/session`, anonymous: { uid } });
  try {
    await client.start();
    assert.ok((await connectionNames()).includes(`wd-video/${uid}`), `wd-video/${uid} is listed`);
  } finally {
    await client.close();
  }
  // close() drains and closes the socket; the server drops the entry once it sees the close.
  await until(async () => !(await connectionNames()).includes(`wd-video/${uid}`), 5000, 'the closed client is no longer listed');
});
