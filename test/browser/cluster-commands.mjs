// Server commands for the failover tests (test/browser/sdk/failover.test.ts):
// a real 3-node nats-server cluster with its own token service, the node a
// user is connected to (Stack.nodeOf: each node's /connz), and signals to
// exactly that node by its pid.
// Every cluster is stopped by the plugin's serverStop, also after a failure.
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const clusters = new Map();
let next = 0;

async function startCluster(base) {
  const { loadConfig, startStack } = await import('@wd-video/server');
  const stateDir = join(base.stateDir, `cluster-${process.pid}-${++next}`);
  const config = loadConfig({}, { stateDir, anonymous: true, rateLimit: 100_000, allowedOrigins: base.allowedOrigins });
  const stack = await startStack(config, { natsNodes: 3, freePorts: true });
  const id = String(next);
  clusters.set(id, { stack, stateDir });
  return { id, authUrl: `${stack.url}/v1/session`, nodes: stack.nats.map((n) => ({ name: n.name, ws: `ws://127.0.0.1:${n.wsPort}` })) };
}

export function clusterCommands() {
  return {
    name: 'wd-cluster',
    async serverStop() {
      await Promise.all([...clusters.values()].map(({ stack }) => stack.stop()));
      for (const { stateDir } of clusters.values()) rmSync(stateDir, { recursive: true, force: true });
      clusters.clear();
    },
    async executeCommand({ command, payload }) {
      if (command !== 'wd-cluster') return undefined;
      const base = globalThis.wdTestStack;
      if (!base) throw new Error('wd-cluster: no stack in this process (run through npm test)');
      if (payload.action === 'start') return startCluster(base.config);
      const c = clusters.get(payload.id);
      if (!c) throw new Error(`wd-cluster: no cluster ${payload.id}`);
      switch (payload.action) {
        case 'node-of':
          return { index: await c.stack.nodeOf(payload.uid) };
        case 'signal':
          c.stack.signalNats(payload.index, payload.signal);
          return { ok: true, at: Date.now() };
        case 'start-node':
          await c.stack.startNats(payload.index);
          return { ok: true };
        case 'lame-duck-restart':
          await c.stack.lameDuckRestart(payload.index);
          return { ok: true };
        case 'stop': {
          clusters.delete(payload.id);
          await c.stack.stop();
          rmSync(c.stateDir, { recursive: true, force: true });
          return { ok: true };
        }
        default:
          throw new Error(`wd-cluster: unknown action ${payload.action}`);
      }
    },
  };
}
