// The local stack: nats-server (one node or a loopback cluster), coturn and the
// token service, started together and stopped together. Used by `npm start`,
// `npm test` and `npm run bench`.
import { join, resolve } from 'node:path';
import type { Config } from './config.js';
import { loadOrCreateKeys, type StackKeys } from './keys.js';
import { writeNatsConf } from './nats-conf.js';
import { freePort, startChild, stopChild, waitForPort, type Child } from './processes.js';
import { startTokenService, type TokenService } from './token-service.js';
import { writeTurnConf } from './turn-conf.js';

export interface NatsNode {
  name: string;
  port: number;
  wsPort: number;
  /** HTTP monitoring port (/connz lists clients as `wd-video/<uid>`); 0 when off (fixed ports). */
  monitorPort: number;
  conf: string;
  child: Child;
}

export interface Stack {
  config: Config;
  keys: StackKeys;
  nats: NatsNode[];
  turn: Child;
  tokenService: TokenService;
  /** Base URL of the token service (also serving demo/ and dist/). */
  url: string;
  /** Stop one nats node and start it again on the same ports (tests of reconnect). */
  restartNats(index?: number, downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Number of nats-server nodes; more than one forms a cluster on loopback. */
  natsNodes?: number;
  /** Pick free ports instead of the configured ones (tests, benchmarks). */
  freePorts?: boolean;
  /** URL prefix -> folder the token service serves when config.serveStatic is on (the dev stack: /demo/, /dist/, /examples/). */
  staticMounts?: Record<string, string>;
  log?: (line: string) => void;
}

export async function startStack(cfg: Config, opts: StackOptions = {}): Promise<Stack> {
  const log = opts.log ?? (() => {});
  const stateDir = resolve(cfg.stateDir);
  const logDir = join(stateDir, 'logs');
  const keys = loadOrCreateKeys(stateDir);
  if (cfg.turnSecret) keys.turnSecret = cfg.turnSecret;
  const host = '127.0.0.1';
  const n = opts.natsNodes ?? 1;

  if (opts.freePorts) {
    cfg.httpPort = await freePort();
    cfg.turnPort = await freePort();
  }
  const natsPorts: { port: number; wsPort: number; clusterPort: number; monitorPort: number }[] = [];
  for (let i = 0; i < n; i++) {
    natsPorts.push(
      opts.freePorts || i > 0
        ? { port: await freePort(), wsPort: await freePort(), clusterPort: await freePort(), monitorPort: await freePort() }
        : // Fixed ports (npm start): no monitoring port, so nothing new can collide.
          { port: cfg.natsPort, wsPort: cfg.natsWsPort, clusterPort: cfg.natsPort + 2000, monitorPort: 0 },
    );
  }
  cfg.natsPort = natsPorts[0].port;
  cfg.natsWsPort = natsPorts[0].wsPort;
  if (opts.freePorts || n > 1 || cfg.natsServers.length === 0 || cfg.natsServers[0] === `ws://${cfg.publicHost}:${cfg.natsWsPort}`) {
    cfg.natsServers = natsPorts.map((p) => `ws://${cfg.publicHost}:${p.wsPort}`);
  }

  const started: Child[] = [];
  // If this Node process dies without stop() (a crash), take our servers with it.
  const killOnExit = () => {
    for (const c of started) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  let tokenService: TokenService | undefined;
  const nats: NatsNode[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const p = natsPorts[i];
      const name = n > 1 ? `nats-${i + 1}` : 'nats';
      const conf = await writeNatsConf(keys, {
        stateDir,
        host,
        port: p.port,
        wsPort: p.wsPort,
        monitorPort: p.monitorPort,
        maxPayload: cfg.maxPayload,
        maxSubs: cfg.maxSubs,
        nodeName: `${name}-${p.port}`,
        cluster: n > 1 ? { name: 'wd', port: p.clusterPort, routes: natsPorts.filter((_, j) => j !== i).map((q) => q.clusterPort) } : undefined,
      });
      const child = startChild(`${name}-${p.port}`, 'nats-server', ['-c', conf], logDir);
      started.push(child);
      nats.push({ name, port: p.port, wsPort: p.wsPort, monitorPort: p.monitorPort, conf, child });
    }
    const turnConf = writeTurnConf({ stateDir, host, port: cfg.turnPort, secret: keys.turnSecret });
    const turn = startChild(`turnserver-${cfg.turnPort}`, 'turnserver', ['-c', turnConf], logDir);
    started.push(turn);
    for (const node of nats) {
      await waitForPort(node.wsPort, host, node.child);
      await waitForPort(node.port, host, node.child);
    }
    await waitForPort(cfg.turnPort, host, turn);
    tokenService = await startTokenService(cfg, keys, { log, staticMounts: opts.staticMounts ?? {} });
    log(`nats-server ${nats.map((x) => `ws:${x.wsPort}`).join(' ')}, coturn udp/tcp:${cfg.turnPort}, token service ${tokenService.url}`);

    const stack: Stack = {
      config: cfg,
      keys,
      nats,
      turn,
      tokenService,
      url: tokenService.url,
      async restartNats(index = 0, downMs = 0) {
        const node = nats[index];
        await stopChild(node.child);
        if (downMs) await new Promise((r) => setTimeout(r, downMs));
        node.child = startChild(`${node.name}-${node.port}`, 'nats-server', ['-c', node.conf], logDir);
        started.push(node.child);
        await waitForPort(node.wsPort, host, node.child);
      },
      async stop() {
        await tokenService?.close();
        await Promise.all([...nats.map((x) => stopChild(x.child)), stopChild(turn)]);
        process.off('exit', killOnExit);
      },
    };
    return stack;
  } catch (e) {
    await tokenService?.close();
    await Promise.all(started.map((c) => stopChild(c)));
    process.off('exit', killOnExit);
    throw e;
  }
}
