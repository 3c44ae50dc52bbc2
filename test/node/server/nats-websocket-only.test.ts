// The scoped key's template says allowed_connection_types: ["WEBSOCKET"]: a
// stolen browser token should be useless on the plain TCP port. nats-server
// 2.9.10 checks the connection type BEFORE it applies a scoped key's template
// (server/auth.go, processClientOrLeafAuthentication), so for scoped users the
// check is empty and the TCP port lets the JWT in, with the template's
// permissions. The production config therefore binds the TCP port to loopback
// (test/node/deploy/nats-prod.test.ts); this stays a todo until nats-server
// applies the template first.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { connectNats, signIn, stackEnv } from '../helpers/stack-env.js';
import { uniqueUid } from '../../shared/ids.js';

/** Speak the NATS client protocol by hand: INFO, then CONNECT + PING; return what follows. */
function tcpConnect(port: number, jwt: string): Promise<string> {
  return new Promise((ok, fail) => {
    let buf = '';
    let sent = false;
    const s = connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      s.destroy();
      fail(new Error(`no answer from nats-server; got ${JSON.stringify(buf)}`));
    }, 5000);
    const finish = () => {
      clearTimeout(timer);
      s.destroy();
      ok(buf.slice(buf.indexOf('\r\n') + 2)); // everything after INFO
    };
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      buf += d;
      if (!sent && buf.startsWith('INFO ') && buf.includes('\r\n')) {
        sent = true;
        s.write(`CONNECT ${JSON.stringify({ jwt, verbose: false, pedantic: false, protocol: 1 })}\r\nPING\r\n`);
      }
      if (sent && /(-ERR|PONG)/.test(buf.slice(buf.indexOf('\r\n')))) finish();
    });
    s.on('close', finish);
    s.on('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
  });
}

test('a valid JWT is refused on the plain TCP port, yet works over WebSocket', { todo: 'nats-server 2.9.10 ignores allowed_connection_types of scoped signing key templates' }, async () => {
  const session = await signIn(uniqueUid('alice'));
  const answer = await tcpConnect(stackEnv().natsPort, session.nats.jwt);
  assert.match(answer, /-ERR 'Authorization Violation'/);
  assert.doesNotMatch(answer, /PONG/);
  // The same JWT is good where it is meant to be used.
  const nc = await connectNats(session);
  await nc.flush();
  await nc.close();
});
