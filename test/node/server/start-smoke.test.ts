// `npm start` as a user runs it: node scripts/start.mjs prints a URL, the token
// service, nats-server (websocket and TCP) and coturn answer on their ports, and
// one SIGTERM stops all of it, leaving no server process behind.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { after, test } from 'node:test';
import { freePort } from '@wd-video/server/processes.js';
import { killMentioning, portOpen, processesMentioning, repoRoot, tempStateDir } from '../helpers/procs.js';
import { signIn } from '../helpers/stack-env.js';
import { until, within } from '../../shared/wait.js';

const stateDir = tempStateDir('start-smoke');
let proc: ChildProcess | undefined;
let output = '';

after(() => {
  // Also on failure: nothing this test started may outlive it.
  if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  killMentioning(stateDir);
  rmSync(stateDir, { recursive: true, force: true });
});

test('npm start serves, and SIGTERM stops every process', { timeout: 90_000 }, async () => {
  const ports = { http: await freePort(), ws: await freePort(), nats: await freePort(), turn: await freePort() };
  // The caller's WD_* settings must not leak into this run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WD_')));
  proc = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: repoRoot,
    env: {
      ...env,
      WD_STATE_DIR: stateDir,
      WD_HTTP_PORT: String(ports.http),
      WD_NATS_WS_PORT: String(ports.ws),
      WD_NATS_PORT: String(ports.nats),
      WD_TURN_PORT: String(ports.turn),
      // build/ is already fresh; rebuilding would rewrite it under the running suite.
      WD_SKIP_PREPARE: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<number | null>((ok) => proc!.once('exit', (code) => ok(code)));

  const demoUrl = await until(
    () => {
      if (proc!.exitCode !== null) throw new Error(`start.mjs exited with ${proc!.exitCode}:\n${output}`);
      return /open (http:\/\/\S+\/demo\/)/.exec(output)?.[1];
    },
    60_000,
    'the printed URL',
  );
  // npm start says what it is before anything else: the development stack.
  assert.match(output, /this is the DEVELOPMENT stack \(env development, anonymous sign-in ON/);
  const base = new URL(demoUrl).origin;
  assert.equal(base, `http://127.0.0.1:${ports.http}`);

  const health = await fetch(`${base}/healthz`);
  assert.equal(health.status, 200);
  const demo = await fetch(demoUrl);
  // demo/ may not have an index yet: a JSON 404 is fine, a crash or 500 is not.
  assert.ok(demo.status === 200 || demo.status === 404, `demo answered ${demo.status}`);
  if (demo.status === 404) assert.match(demo.headers.get('content-type') ?? '', /json/);

  for (const [name, port] of Object.entries(ports)) assert.ok(await portOpen(port), `${name} port ${port} is open`);
  // The demo's anonymous sign-in is on and points at this run's servers.
  const session = await signIn('smoke-user', base);
  assert.deepEqual(session.nats.servers, [`ws://127.0.0.1:${ports.ws}`]);
  assert.match(session.iceServers[0].urls[0], new RegExp(`^turn:127\\.0\\.0\\.1:${ports.turn}\\?`));

  const servers = processesMentioning(stateDir);
  assert.ok(servers.some((p) => /nats-server/.test(p.cmdline)), 'nats-server is running');
  assert.ok(servers.some((p) => /turnserver/.test(p.cmdline)), 'turnserver is running');

  proc.kill('SIGTERM');
  const code = await within(exited, 8000, () => `start.mjs did not exit after SIGTERM:\n${output}`);
  assert.equal(code, 0, `start.mjs exit after SIGTERM:\n${output}`);
  assert.deepEqual(processesMentioning(stateDir), [], 'no nats-server or turnserver left');
  assert.equal(await portOpen(ports.http), false, 'the token service port is closed');
});
