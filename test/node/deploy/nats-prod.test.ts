// nats-server 2.9.10 with the configs `wd-video config nats` generates: two
// clustered nodes (routes with password and mutual TLS) and a third with an
// account connection limit of 2, all on loopback with a CA made for this run.
// Browsers' sessions come from issueSession with only the keys a token service
// host gets (signing.nk, account.pub, turn-secret).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { encodeUser } from '@nats-io/jwt';
import { createUser } from '@nats-io/nkeys';
import { connect, jwtAuthenticator, type NatsConnection, type Status } from 'nats.ws';
import { keyPair } from '@wd-video/server/account.js';
import { loadConfig } from '@wd-video/server/config.js';
import { issueSession } from '@wd-video/server/credentials.js';
import type { ServiceKeys } from '@wd-video/server/keys.js';
import { freePort } from '@wd-video/server/processes.js';
import { readServiceKeys, SECRET_FILES } from '@wd-video/server/prod/key-files.js';
import { startHistoryService } from '@wd-video/server/history/service.js';
import type { Session } from 'wd-video/contract';
import { collect, permissionError } from '../helpers/nats-watch.js';
import { uniqueUid } from '../../shared/ids.js';
import { until, within } from '../../shared/wait.js';
import { deployDir, makePki, serviceKeysDir, startServer, wdVideo, type Pki } from './fixtures.js';

const ORIGIN = 'https://app.example';
// nats.ws opens `new WebSocket(url)`; this one trusts the test CA and sends an Origin, as a browser would.
let wsOptions: WebSocket.ClientOptions = {};
(globalThis as unknown as { WebSocket: unknown }).WebSocket = class extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, wsOptions);
  }
};

interface Node {
  port: number;
  wsPort: number;
  monitorPort: number;
  clusterPort: number;
}
const nodes: Node[] = [];
let limited: Node;
let pki: Pki;
let keysDir: string;
let serviceKeys: ServiceKeys;
let deployRoot: string;

async function ports(): Promise<Node> {
  return { port: await freePort(), wsPort: await freePort(), monitorPort: await freePort(), clusterPort: await freePort() };
}

async function writeConf(dir: string, name: string, n: Node, extra: string[]): Promise<string> {
  const out = join(dir, `${name}.conf`);
  const r = await wdVideo([
    'config', 'nats', '--keys', keysDir, '--out', out, '--name', name,
    '--tls-cert', pki.cert, '--tls-key', pki.key, '--allowed-origins', ORIGIN,
    '--ws-host', '127.0.0.1', '--ws-port', String(n.wsPort), '--port', String(n.port), '--monitor-port', String(n.monitorPort),
    '--store-dir', join(dir, `${name}-jetstream`),
    ...extra,
  ]);
  assert.equal(r.code, 0, r.stderr);
  return out;
}

before(async () => {
  const d = await deployDir('nats');
  keysDir = d.keys;
  pki = makePki(d.dir);
  serviceKeys = readServiceKeys(serviceKeysDir(d.dir, d.keys));
  deployRoot = d.dir;
  nodes.push(await ports(), await ports());
  limited = await ports();
  const confs: string[] = [];
  for (const [i, n] of nodes.entries()) {
    const other = nodes[1 - i]!;
    confs.push(
      await writeConf(d.dir, `n${i + 1}`, n, [
        '--cluster-host', '127.0.0.1', '--cluster-port', String(n.clusterPort), '--routes', `127.0.0.1:${other.clusterPort}`,
        '--cluster-tls-cert', pki.cert, '--cluster-tls-key', pki.key, '--cluster-tls-ca', pki.ca,
      ]),
    );
  }
  confs.push(await writeConf(d.dir, 'limited', limited, ['--account-max-connections', '2']));
  await Promise.all(
    [...nodes, limited].map((n, i) => startServer(`nats-prod-${n.wsPort}`, 'nats-server', ['-c', confs[i]!], d.dir, '127.0.0.1', n.wsPort)),
  );
  // The two nodes have found each other: each reports one route.
  for (const n of nodes) {
    await until(async () => {
      const r = await fetch(`http://127.0.0.1:${n.monitorPort}/routez`).then((x) => x.json() as Promise<{ num_routes: number }>);
      return r.num_routes === 1;
    }, 15_000, `a route on ${n.monitorPort}`);
  }
  wsOptions = { ca: readFileSync(pki.ca), origin: ORIGIN };
});

const cfgFor = (n: Node) => loadConfig({}, { natsServers: [`wss://127.0.0.1:${n.wsPort}`], credentialTtl: 600 });
const signIn = (uid: string, n: Node = nodes[0]!) => issueSession(cfgFor(n), serviceKeys, uid);

function open(session: Session, jwt = session.nats.jwt): Promise<NatsConnection> {
  return connect({
    servers: session.nats.servers,
    authenticator: jwtAuthenticator(jwt),
    inboxPrefix: `_INBOX.${session.uid}`,
    reconnect: false, // a refusal must show, not turn into retries
    timeout: 5000,
  });
}

const enc = (s: string) => new TextEncoder().encode(s);

function statuses(nc: NatsConnection): Status[] {
  const seen: Status[] = [];
  void (async () => {
    for await (const s of nc.status()) seen.push(s);
  })();
  return seen;
}

describe('WebSocket with TLS and allowed_origins', () => {
  test('wss:// with the test CA from the allowed origin: a message crosses the cluster', async () => {
    const alice = await signIn(uniqueUid('alice'), nodes[0]);
    const bob = await signIn(uniqueUid('bob'), nodes[1]);
    const [a, b] = await Promise.all([open(alice), open(bob)]);
    try {
      const inbox = collect(b.subscribe(`wd.u.${bob.uid}.>`));
      await b.flush();
      // Interest crosses the route asynchronously: publish until bob has one.
      await until(() => {
        a.publish(`wd.u.${bob.uid}.${alice.uid}.x`, enc('hello'));
        return inbox.got.length > 0;
      }, 5000, 'bob (node 2) to receive alice (node 1)');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('a page of another origin is refused', async () => {
    const saved = wsOptions;
    wsOptions = { ...saved, origin: 'https://evil.example' };
    try {
      await assert.rejects(open(await signIn(uniqueUid('alice'))));
    } finally {
      wsOptions = saved;
    }
  });

  test('a client that does not trust the CA does not connect', async () => {
    const saved = wsOptions;
    wsOptions = { origin: ORIGIN };
    try {
      await assert.rejects(open(await signIn(uniqueUid('alice'))));
    } finally {
      wsOptions = saved;
    }
  });

  test('the plain TCP port listens on 127.0.0.1 only, not on the other addresses', async () => {
    const reach = (host: string) =>
      new Promise<boolean>((ok) => {
        const s = tcpConnect(nodes[0]!.port, host);
        s.once('connect', () => (s.destroy(), ok(true)));
        s.once('error', () => ok(false));
      });
    assert.equal(await reach('127.0.0.1'), true);
    assert.equal(await reach('127.0.0.2'), false, 'a browser JWT would be accepted here (nats-server 2.9.10 and scoped keys)');
  });
});

describe('cluster routes', () => {
  /** Dial node 1's route port; resolves with what came back before the socket closed. */
  function dialRoute(mode: 'plain' | 'no-cert' | 'rogue-cert' | 'cluster-cert'): Promise<{ data: string; error?: string }> {
    const port = nodes[0]!.clusterPort;
    return new Promise((ok) => {
      let data = '';
      let error: string | undefined;
      const hello = 'CONNECT {"echo":false,"verbose":false,"pedantic":false,"tls_required":true,"name":"intruder"}\r\nPING\r\n';
      const s =
        mode === 'plain'
          ? tcpConnect(port, '127.0.0.1', () => s.write(hello))
          : tlsConnect(
              {
                host: '127.0.0.1',
                port,
                servername: 'localhost',
                ca: readFileSync(pki.ca),
                ...(mode === 'no-cert' ? {} : { cert: readFileSync(mode === 'rogue-cert' ? pki.rogueCert : pki.cert), key: readFileSync(mode === 'rogue-cert' ? pki.rogueKey : pki.key) }),
              },
              () => s.write(hello),
            );
      s.setEncoding('utf8');
      s.on('data', (d: string) => (data += d));
      s.on('error', (e) => (error = e.message));
      s.on('close', () => ok({ data, error }));
    });
  }

  test('without TLS: closed before anything is said', async () => {
    const r = await dialRoute('plain');
    assert.doesNotMatch(r.data, /INFO|PONG/);
  });

  test('TLS without a client certificate, or with one of another CA: the handshake fails', async () => {
    for (const mode of ['no-cert', 'rogue-cert'] as const) {
      const r = await dialRoute(mode);
      assert.doesNotMatch(r.data, /INFO|PONG/, mode);
      assert.match(r.error ?? '', /certificate/, mode);
    }
  });

  test("a cluster certificate without the route password: Authorization Violation", async () => {
    const r = await dialRoute('cluster-cert');
    assert.match(r.data, /^INFO /, 'TLS succeeded');
    assert.match(r.data, /-ERR 'Authorization Violation'/);
    assert.doesNotMatch(r.data, /PONG/);
  });
});

describe('connection limit', () => {
  test('past the account limit (2) a connection is refused', async () => {
    const sessions = await Promise.all(['a', 'b', 'c'].map((p) => signIn(uniqueUid(p), limited)));
    const first = await Promise.all(sessions.slice(0, 2).map((s) => open(s)));
    try {
      await assert.rejects(open(sessions[2]!), /maximum account (active )?connections exceeded/i);
    } finally {
      await Promise.all(first.map((nc) => nc.close()));
    }
  });
});

describe('permissions of a scoped user', () => {
  test('publish as another uid, subscribe to another\'s subjects, reply into another\'s inbox: all refused', async () => {
    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((p) => signIn(uniqueUid(p))));
    const [a, b] = await Promise.all([open(alice!), open(bob!)]);
    try {
      const aSeen = statuses(a);
      const bSeen = statuses(b);
      const bInbox = collect(b.subscribe(`wd.u.${bob!.uid}.>`));
      const aInbox = collect(a.subscribe(`_INBOX.${alice!.uid}.>`));
      await Promise.all([a.flush(), b.flush()]);

      const spoofed = `wd.u.${bob!.uid}.${carol!.uid}.x`;
      a.publish(spoofed, enc('i am carol'));
      const spy = collect(a.subscribe(`wd.u.${bob!.uid}.>`));
      const unasked = `_INBOX.${alice!.uid}.unasked`;
      b.publish(unasked, enc('injected'));
      // Markers after each attempt on the same connections: once they arrive, the refused ones would have too.
      a.publish(`wd.u.${bob!.uid}.${alice!.uid}.marker`, enc('m'));
      await until(() => bInbox.got.some((m) => m.subject.endsWith('.marker')), 5000, 'the marker at bob');
      await until(() => permissionError(aSeen, 'publish', spoofed), 5000, 'a publish violation');
      await until(() => permissionError(aSeen, 'subscription', `wd.u.${bob!.uid}.>`), 5000, 'a subscription violation');
      await until(() => permissionError(bSeen, 'publish', unasked), 5000, 'an inbox publish violation');
      assert.equal(bInbox.got.filter((m) => m.subject === spoofed).length, 0);
      assert.equal(aInbox.got.length, 0);
      assert.equal(spy.got.length, 0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('a leaked signing key cannot mint a user with permissions of its own (such as `>`)', async () => {
    const session = await signIn(uniqueUid('mallory'));
    const jwt = await encodeUser(session.uid, createUser(), serviceKeys.accountPublicKey, { pub: { allow: ['>'] }, sub: { allow: ['>'] }, bearer_token: true }, { signer: keyPair(serviceKeys.signingSeed), exp: Math.floor(Date.now() / 1000) + 600 });
    await assert.rejects(open(session, jwt), /Authorization Violation/i);
    // The same key, used as the token service does, still works: the refusal is about the permissions.
    const nc = await open(session);
    await nc.close();
  });
});

describe('call history on the production config', () => {
  test("keys init's service.creds runs the history service on the clustered nodes; a missed call reported on node 1 is read on node 2", async () => {
    const keys = readServiceKeys(serviceKeysDir(deployRoot, keysDir));
    assert.ok(keys.serviceCreds, `${SECRET_FILES.serviceCreds} goes to the token service hosts with the other keys`);
    // A token service is no browser: it sends no Origin header (nats-server's allowed_origins applies to browsers).
    const saved = wsOptions;
    wsOptions = { ca: saved.ca };
    const logs: string[] = [];
    const history = startHistoryService({
      servers: [`wss://127.0.0.1:${nodes[0]!.wsPort}`],
      creds: keys.serviceCreds,
      retentionMs: 3_600_000,
      maxPerUser: 10,
      replicas: 1,
      log: (l) => logs.push(l),
    });
    try {
      await within(history.ready, 20_000, () => `the history service to start: ${logs.join('; ')}`);
      wsOptions = saved;
      const [x, y] = [await signIn(uniqueUid('x'), nodes[0]), await signIn(uniqueUid('y'), nodes[1])];
      const [a, b] = await Promise.all([open(x), open(y)]);
      try {
        a.publish(`wd.ev.${x.uid}`, enc(JSON.stringify({ v: 1, k: 'ended', callId: `call${uniqueUid('c').replace('-', '')}`, peer: y.uid, role: 'caller', reason: 'unavailable', answered: false })));
        const recs = await until(async () => {
          const r = JSON.parse(new TextDecoder().decode((await b.request(`wd.svc.${y.uid}.history`, enc('{}'), { timeout: 5000 })).data)) as { records: { outcome: string; caller: string }[] };
          return r.records.length ? r.records : undefined;
        }, 10_000, "y's missed call");
        assert.deepEqual(recs.map((r) => [r.outcome, r.caller]), [['missed', x.uid]]);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    } finally {
      wsOptions = saved;
      await history.close();
    }
  });
});
