// The attacker of flood.test.ts: a raw nats.ws connection signed in as a real
// user (like helpers.ts rawNats), run in a Worker so it floods from its own
// thread, as a second machine would, instead of taking turns with the victim
// on the page's event loop. It publishes its junk to the victim's subjects as
// fast as nats-server takes it until told to stop, then reports what it sent.
import { connect, jwtAuthenticator } from 'nats.ws';

export interface FloodStart {
  type: 'start';
  servers: string[];
  jwt: string;
  uid: string;
  victim: string;
  /** Which junk: many small messages, few big ones, or well-formed reliable ones that ask for an ack. */
  kind: 'small' | 'oversize' | 'acked';
}
export interface FloodDone {
  type: 'done';
  sent: number;
  bytes: number;
  ms: number;
  /** How many of the messages sent the victim should drop for each reason. */
  byReason: Record<string, number>;
}
export type FloodReport = { type: 'started' } | FloodDone | { type: 'failed'; error: string };

const te = new TextEncoder();
/** Each is dropped by the victim for the reason given (what flood.test.ts expects). */
function junk(victim: string, me: string, kind: FloodStart['kind']): { subject: string; data: Uint8Array; reason: string; reply?: string }[] {
  const to = (type: string) => `wd.u.${victim}.${me}.${type}`;
  // Well-formed JSON of n bytes: a receiver that parses before it judges pays for all of it.
  const bytes = (n: number) => te.encode(`{"v":1,"pad":"${'x'.repeat(n - 16)}"}`);
  if (kind === 'oversize') {
    // Near the server's max_payload (64 KB), typed so that none of it is worth parsing.
    return [
      { subject: to('hangup'), data: bytes(60 * 1024), reason: 'oversize' },
      { subject: to('cand'), data: bytes(60 * 1024), reason: 'oversize' },
      { subject: to('bogus'), data: bytes(60 * 1024), reason: 'unknown_type' },
      { subject: to('reject'), data: bytes(16 * 1024), reason: 'oversize' },
    ];
  }
  if (kind === 'acked') {
    // A hang-up for a call that does not exist, as a request: the protocol acks it so a real
    // sender stops retrying. Nobody listens on the inbox; the victim's work is the point.
    const hangup = { v: 1, callId: 'flood-call-00000001', dev: 'flood-dev-000000001', reason: 'hangup' };
    // A fresh inbox each time, as real requests have (a reused one gets one reply at most).
    return [{ subject: to('hangup'), data: te.encode(JSON.stringify(hangup)), reason: 'unknown_call', reply: `_INBOX.${me}.flood.` }];
  }
  const cand = { v: 1, callId: 'flood-call-00000001', dev: 'flood-dev-000000001', c: [{ candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host generation 0', sdpMid: '0', sdpMLineIndex: 0 }] };
  return [
    { subject: to('bogus'), data: te.encode('junk'), reason: 'unknown_type' },
    { subject: to('invite'), data: te.encode('{not json'), reason: 'bad_json' },
    { subject: to('hangup'), data: te.encode('{"v":2}'), reason: 'bad_version' },
    { subject: `${to('hangup')}.extra`, data: te.encode('junk'), reason: 'bad_subject' },
    // Well formed, for a call that does not exist: the most a small message can make the victim parse.
    { subject: to('cand'), data: te.encode(JSON.stringify(cand)), reason: 'unknown_call' },
  ];
}

let stop = false;

async function flood(o: FloodStart) {
  const nc = await connect({ servers: o.servers, authenticator: jwtAuthenticator(o.jwt), inboxPrefix: `_INBOX.${o.uid}`, name: `flood ${o.uid}` });
  const list = junk(o.victim, o.uid, o.kind);
  let sent = 0;
  let bytes = 0;
  postMessage({ type: 'started' } satisfies FloodReport);
  const t0 = performance.now();
  // Back-pressure from the server without idling the socket: one flush (PING/PONG)
  // in flight while the next batch is written. nats-server reads our socket
  // only as fast as it can deliver (and stalls us while the victim falls behind).
  let inFlight: Promise<void> | undefined;
  while (!stop) {
    for (let batch = 0; batch < 256 * 1024; ) {
      const m = list[sent % list.length]!;
      nc.publish(m.subject, m.data, m.reply ? { reply: m.reply + sent } : undefined);
      sent++;
      bytes += m.data.length;
      batch += m.data.length + 64;
    }
    const f = nc.flush();
    await inFlight;
    inFlight = f;
  }
  await inFlight;
  const ms = performance.now() - t0;
  await nc.close();
  const byReason: Record<string, number> = {};
  list.forEach((m, i) => (byReason[m.reason] = (byReason[m.reason] ?? 0) + Math.floor(sent / list.length) + (i < sent % list.length ? 1 : 0)));
  postMessage({ type: 'done', sent, bytes, ms, byReason } satisfies FloodReport);
}

self.onmessage = (e: MessageEvent<FloodStart | { type: 'stop' }>) => {
  if (e.data.type === 'stop') stop = true;
  else flood(e.data).catch((err) => postMessage({ type: 'failed', error: String(err) } satisfies FloodReport));
};
