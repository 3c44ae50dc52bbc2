// The local stack: nats-server (one node or a loopback cluster), coturn and the
// token service, started together and stopped together. Used by `npm start`,
// `npm test` and `npm run bench`.
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CallEventSink } from './call-events.js';
import type { Config } from './config.js';
import { serviceCreds } from './history/service-user.js';
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
  /** Send a signal to one node, by its pid: SIGKILL (dies), SIGSTOP (frozen, sockets stay open), SIGCONT. */
  signalNats(index: number, signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): void;
  /** Start a node that has exited again, on its ports; resolves once it listens and (in a cluster) has its routes. */
  startNats(index: number): Promise<void>;
  /**
   * Restart one node the gentle way: lame duck mode (SIGUSR2) tells its clients
   * to move, the node exits once they have, and it starts again.
   */
  lameDuckRestart(index: number): Promise<void>;
  /**
   * Index of the node `uid` is connected to (its /connz lists `wd-video/<uid>`), or -1
   * unless exactly one node lists it: mid-failover, or a dial abandoned on timeout that
   * left a connection behind on a slow node for a moment (signalling that node would test nothing).
   */
  nodeOf(uid: string): Promise<number>;
  /** Where `.wd/cluster.json` is (cluster only): per node its name, pid, WebSocket URL and monitor URL. */
  clusterFile?: string;
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
  /** Receivers of the token service's call events (webhooks). */
  callEventSinks?: CallEventSink[];
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
        : // Fixed ports (npm start) with one node: no monitoring port, so nothing new can collide.
          // A cluster gets free ports beyond node 1, and monitors on every node (tools find clients with /connz).
          { port: cfg.natsPort, wsPort: cfg.natsWsPort, clusterPort: cfg.natsPort + 2000, monitorPort: n > 1 ? await freePort() : 0 },
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
        lameDuckGrace: '1s',
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
    if (n > 1) await Promise.all(nats.map((node) => waitForRoutes(node, n - 1)));
    // The history service's user, signed by the account seed the dev stack holds (production: `keys init` writes service.creds).
    if (n >= 3 && cfg.historyReplicas === 1) cfg.historyReplicas = 3;
    tokenService = await startTokenService(cfg, keys, {
      log,
      staticMounts: opts.staticMounts ?? {},
      serviceCreds: await serviceCreds(keys.accountSeed),
      callEventSinks: opts.callEventSinks ?? [],
    });
    await tokenService.history?.ready;
    const clusterFile = n > 1 ? join(stateDir, 'cluster.json') : undefined;
    const writeClusterFile = () => clusterFile && writeFileSync(clusterFile, JSON.stringify(describeCluster(nats, host), null, 2) + '\n');
    writeClusterFile();
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
        await this.startNats(index);
      },
      signalNats(index, signal) {
        const c = nats[index].child;
        if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill(signal);
      },
      async startNats(index) {
        const node = nats[index];
        if (node.child.proc.exitCode === null && node.child.proc.signalCode === null) throw new Error(`${node.name} is still running`);
        node.child = startChild(`${node.name}-${node.port}`, 'nats-server', ['-c', node.conf], logDir);
        started.push(node.child);
        await waitForPort(node.wsPort, host, node.child);
        if (n > 1) await waitForRoutes(node, n - 1);
        writeClusterFile();
      },
      async lameDuckRestart(index) {
        const node = nats[index];
        node.child.proc.kill('SIGUSR2');
        // Our clients leave on the notice. nats-server 2.9 then still walks its
        // list of clients from the start of lame duck mode, pausing between
        // each, for up to lame_duck_duration (30 s at least), closed ones
        // included: once no client is left, stop it instead of waiting.
        await Promise.race([node.child.exited, untilNoClients(node)]);
        await stopChild(node.child);
        await this.startNats(index);
      },
      async nodeOf(uid) {
        const on: number[] = [];
        for (let i = 0; i < nats.length; i++) {
          if (!nats[i].monitorPort) continue;
          try {
            const r = await fetch(`http://${host}:${nats[i].monitorPort}/connz?limit=100000`, { signal: AbortSignal.timeout(500) });
            const { connections = [] } = (await r.json()) as { connections?: { name?: string }[] };
            if (connections.some((c) => c.name === `wd-video/${uid}`)) on.push(i);
          } catch {
            // a killed or frozen node does not answer: the user is not (usably) there
          }
        }
        return on.length === 1 ? on[0] : -1;
      },
      clusterFile,
      async stop() {
        if (clusterFile) rmSync(clusterFile, { force: true });
        await tokenService?.close();
        // A frozen node (SIGSTOP) would ignore SIGTERM until the SIGKILL fallback.
        for (let i = 0; i < nats.length; i++) this.signalNats(i, 'SIGCONT');
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

/** What `.wd/cluster.json` holds: enough for a tool to find a client's node (/connz) and signal exactly that node. */
function describeCluster(nats: NatsNode[], host: string) {
  return {
    nodes: nats.map((x) => ({
      name: x.name,
      pid: x.child.proc.pid,
      ws: `ws://${host}:${x.wsPort}`,
      monitor: x.monitorPort ? `http://${host}:${x.monitorPort}` : undefined,
    })),
  };
}

/** Wait until a node has routes to all its peers (/routez), so a message crosses the cluster. */
async function waitForRoutes(node: NatsNode, peers: number, timeoutMs = 15_000): Promise<void> {
  if (!node.monitorPort) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = (await (await fetch(`http://127.0.0.1:${node.monitorPort}/routez`)).json()) as { num_routes?: number };
      if ((r.num_routes ?? 0) >= peers) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${node.name} has no routes to its ${peers} peers after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves once a node's /connz lists no client connection (polled; never resolves if the monitor is off). */
async function untilNoClients(node: NatsNode): Promise<void> {
  if (!node.monitorPort) return new Promise(() => {});
  for (;;) {
    try {
      const r = (await (await fetch(`http://127.0.0.1:${node.monitorPort}/connz`)).json()) as { num_connections?: number };
      if (r.num_connections === 0) return;
    } catch {
      // gone already: the exit wins the race
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
