// `npm start` as a user runs it: node scripts/start.mjs prints a URL, the token
// service, nats-server (websocket and TCP) and coturn answer on their ports, and
// one SIGTERM stops all of it, leaving no server process behind.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
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

/** `node scripts/start.mjs ...args` on the given ports; resolves with the base URL it printed. */
async function startDev(args: string[], ports: { http: number; ws: number; nats: number; turn: number }, extraEnv: Record<string, string> = {}) {
  // The caller's WD_* settings must not leak into this run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WD_')));
  output = '';
  proc = spawn(process.execPath, ['scripts/start.mjs', ...args], {
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
      ...extraEnv,
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
  return { demoUrl, base: new URL(demoUrl).origin, exited };
}

/** SIGTERM, a clean exit, and no server process left. */
async function stopDev(exited: Promise<number | null>) {
  proc!.kill('SIGTERM');
  const code = await within(exited, 8000, () => `start.mjs did not exit after SIGTERM:\n${output}`);
  assert.equal(code, 0, `start.mjs exit after SIGTERM:\n${output}`);
  assert.deepEqual(processesMentioning(stateDir), [], 'no nats-server or turnserver left');
}

const freePorts = async () => ({ http: await freePort(), ws: await freePort(), nats: await freePort(), turn: await freePort() });

test('npm start serves, and SIGTERM stops every process', { timeout: 90_000 }, async () => {
  const ports = await freePorts();
  const { demoUrl, base, exited } = await startDev([], ports);
  // npm start says what it is before anything else: the development stack.
  assert.match(output, /this is the DEVELOPMENT stack \(env development, anonymous sign-in ON/);
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

  await stopDev(exited);
  assert.equal(await portOpen(ports.http), false, 'the token service port is closed');
});

for (const [how, args, env] of [
  ['npm start -- --cluster 3', ['--cluster', '3'], {}],
  ['WD_NATS_CLUSTER=3 npm start', [], { WD_NATS_CLUSTER: '3' }],
] as const) {
  test(`${how}: three nodes in the session and in .wd/cluster.json, each with its pid and monitor; SIGTERM stops them all`, { timeout: 90_000 }, async () => {
    const { base, exited } = await startDev([...args], await freePorts(), env);
    const session = await signIn('cluster-user', base);
    assert.equal(session.nats.servers.length, 3);
    const file = join(stateDir, 'cluster.json');
    const { nodes } = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { name: string; pid: number; ws: string; monitor: string }[] };
    assert.deepEqual(nodes.map((n) => n.ws).sort(), [...session.nats.servers].sort());
    const running = processesMentioning(stateDir).filter((p) => /nats-server/.test(p.cmdline));
    assert.deepEqual(nodes.map((n) => n.pid).sort(), running.map((p) => p.pid).sort(), 'the pids are the running nats-servers');
    for (const n of nodes) {
      const routes = (await (await fetch(`${n.monitor}/routez`)).json()) as { num_routes: number };
      assert.equal(routes.num_routes, 2, `${n.name} is routed to the two others`);
    }
    await stopDev(exited);
    assert.equal(existsSync(file), false, 'cluster.json is gone with the cluster');
  });
}

test('npm start -- --cluster with a bad count stops with one line naming it', { timeout: 30_000 }, async () => {
  await assert.rejects(startDev(['--cluster', 'three'], await freePorts()), /--cluster must be a node count from 1 to 9, got "three"/);
});
