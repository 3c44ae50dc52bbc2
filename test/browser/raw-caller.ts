// A caller without the SDK and without WebRTC: a raw nats.ws client that sends
// an invite the way the protocol says (docs/protocol.md). It rings a device in
// an engine that cannot place a call itself (WebKit here), so what the callee
// does there can be tested: the ringing, accept() failing cleanly, decline.
import { connect, jwtAuthenticator, type NatsConnection } from 'nats.ws';
import { fakeId, uniqueUid } from '../shared/ids.js';
import { signIn } from '../shared/sign-in.js';
import { until } from '../shared/wait.js';
import { onCleanup } from './cleanup.js';
import { authUrl } from './env.js';

/** An offer the SDK accepts as SDP (it is never applied where there is no WebRTC). */
const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

export interface RawCaller {
  uid: string;
  nc: NatsConnection;
  /** Types of the messages the callee sent this caller (`reject`, `hangup`, ...), in order. */
  received: string[];
  /** Rings `to`; resolves with the callee's reply type (`ringing`, `busy`, ...). */
  invite(to: string, data?: unknown): Promise<string>;
  /** Resolves once a message of `type` has arrived from the callee. */
  heard(type: string, ms?: number): Promise<unknown>;
}

/** A signed-in raw caller; closed by runCleanups(). */
export async function rawCaller(): Promise<RawCaller> {
  const uid = uniqueUid('raw-caller');
  const session = await signIn(authUrl(), uid);
  const nc = await connect({ servers: session.nats.servers, authenticator: jwtAuthenticator(session.nats.jwt), inboxPrefix: `_INBOX.${uid}`, name: `raw ${uid}` });
  onCleanup(() => (nc.isClosed() ? undefined : nc.close()));
  const received: string[] = [];
  // Everything addressed to us: `wd.u.<us>.<sender>.<type>`.
  nc.subscribe(`wd.u.${uid}.>`, { callback: (err, m) => !err && received.push(m.subject.split('.')[4]!) });
  return {
    uid,
    nc,
    received,
    async invite(to, data) {
      const invite = { v: 1, callId: fakeId(), dev: fakeId(), sdp: SDP, relay: false, ttl: 30_000, ...(data !== undefined ? { data } : {}) };
      const reply = await nc.request(`wd.u.${to}.${uid}.invite`, new TextEncoder().encode(JSON.stringify(invite)), { timeout: 5000 });
      return (JSON.parse(new TextDecoder().decode(reply.data)) as { t: string }).t;
    },
    heard: (type, ms = 10_000) => until(() => received.includes(type), ms, () => `"${type}" from the callee (got ${received.join(', ') || 'nothing'})`),
  };
}
