// Set-up for SDK tests in Chromium against the real stack: clients, cameras,
// call pairs, raw NATS clients. Waiting, events, ids and sign-in come from
// test/shared, frame counting from test/browser/frames.ts.
import { expect } from '@open-wc/testing';
import { connect, jwtAuthenticator, type NatsConnection, type Subscription } from 'nats.ws';
import { VideoClient, type Conversation, type LocalStream, type Session, type VideoClientOptions } from 'wd-video';
import { next } from '../../shared/events.js';
import { uniqueUid } from '../../shared/ids.js';
import { signIn as signInAt } from '../../shared/sign-in.js';
import { until } from '../../shared/wait.js';
import { onCleanup, runCleanups } from '../cleanup.js';
import { authUrl } from '../env.js';

const clients: VideoClient[] = [];
const streams: MediaStream[] = [];

/** A started client signed in anonymously as `uid`; closed by cleanup(). */
export async function client(uid: string, options: Partial<VideoClientOptions> = {}): Promise<VideoClient> {
  const c = newClient(uid, options);
  await c.start();
  return c;
}

export async function camera(): Promise<MediaStream> {
  const s = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240 } });
  streams.push(s);
  return s;
}

/** Same, but no start() and no wait: for tests that need the unconnected client. */
export function newClient(uid: string, options: Partial<VideoClientOptions> = {}): VideoClient {
  const c = new VideoClient({ authUrl: authUrl(), anonymous: { uid }, ...options });
  clients.push(c);
  return c;
}

/** Register any client (e.g. one made by wdVideo.initialize().call()) for cleanup(). */
export function adopt(c: VideoClient) {
  clients.push(c);
  return c;
}

/** afterEach: registered teardown, then every client and camera of the test. */
export async function cleanup() {
  await runCleanups();
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
  for (const s of streams.splice(0)) s.getTracks().forEach((t) => t.stop());
}

/** alice calls bob and bob's device rings; `conv` is alice's side, `incoming` bob's. */
export async function ringingPair() {
  const a = await client(uniqueUid('alice'));
  const b = await client(uniqueUid('bob'));
  const called = next<Conversation>(b, 'called');
  const conv = a.call(b.uid!, await camera());
  const incoming = await called;
  await reach(conv, 'ringing', 5000);
  return { a, b, conv, incoming };
}

/** alice calls bob; bob accepts; both connected. */
export async function connectedPair(options: { relay?: boolean; data?: unknown; authUrl?: string } = {}) {
  const signIn = options.authUrl ? { authUrl: options.authUrl } : {};
  const a = await client(uniqueUid('alice'), signIn);
  const b = await client(uniqueUid('bob'), signIn);
  const sa = await camera();
  const sb = await camera();
  const called = next<Conversation>(b, 'called');
  const ca = a.call(b.uid!, sa, { iceTransportPolicy: options.relay ? 'relay' : 'all', data: options.data });
  const incoming = await called;
  const cb = await incoming.accept(sb);
  await until(() => ca.state === 'connected' && cb.state === 'connected', 15_000, 'both connected');
  await until(() => !!ca.remoteStream && !!cb.remoteStream, 5000, 'both remote streams');
  return { a, b, ca, cb, sa, sb };
}

/** alice calls bob sending `stream`, bob accepts with his camera: both connected, both remote streams there. */
export async function sendingPair(stream: LocalStream | MediaStream) {
  const a = await client(uniqueUid('alice'));
  const b = await client(uniqueUid('bob'));
  const called = next<Conversation>(b, 'called');
  const conv = a.call(b.uid!, stream);
  const incoming = await called;
  await incoming.accept(await camera());
  await reach(conv, 'connected');
  await until(() => conv.remoteStream && incoming.remoteStream, 10_000, 'both remote streams');
  return { a, b, conv, incoming };
}

/**
 * A checkpoint for "nothing more arrives from `from`": `from` calls `to`, and
 * from's messages reach `to` in order, so once `to` rings, anything `from`
 * sent before has arrived. Returns the new call.
 */
export async function callThrough(from: VideoClient, to: VideoClient): Promise<Conversation> {
  const called = next<Conversation>(to, 'called', 5000, `the checkpoint call from ${from.uid}`);
  const call = from.call(to.uid!, await camera());
  await called;
  return call;
}

/** Proves `a` has sent `b` nothing since b had received `receivedBefore` messages (see callThrough). */
export async function expectNothingSent(a: VideoClient, b: VideoClient, receivedBefore: number) {
  const control = await callThrough(a, b);
  expect(b.counters.received - receivedBefore, `messages ${b.uid} received: only the checkpoint invite`).to.equal(1);
  control.close();
}

/** Window errors and unhandled rejections while the test runs: an SDK that throws shows up here. */
export function catchPageErrors() {
  const errors: unknown[] = [];
  const onError = (e: ErrorEvent) => errors.push(e.error ?? e.message);
  const onRejection = (e: PromiseRejectionEvent) => errors.push(e.reason);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  onCleanup(() => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  });
  return errors;
}

// ---- raw NATS clients (attackers and witnesses) ----------------------------

/** Sign in at the test stack like the SDK does, without the SDK. */
export const signIn = (uid: string): Promise<Session> => signInAt(authUrl(), uid);

/** A raw nats.ws connection signed in as `uid` (inboxPrefix `_INBOX.<uid>`); closed by cleanup(). */
export async function rawNats(uid: string): Promise<{ nc: NatsConnection; session: Session; uid: string }> {
  const session = await signIn(uid);
  const nc = await connect({
    servers: session.nats.servers,
    authenticator: jwtAuthenticator(session.nats.jwt),
    inboxPrefix: `_INBOX.${uid}`,
    name: `raw ${uid}`,
  });
  onCleanup(() => (nc.isClosed() ? undefined : nc.close()));
  return { nc, session, uid };
}

/** Collect every message on `subject` (e.g. `_INBOX.carol-x.>`) into an array. */
export function collect(nc: NatsConnection, subject: string): { msgs: { subject: string; data: Uint8Array }[]; sub: Subscription } {
  const msgs: { subject: string; data: Uint8Array }[] = [];
  const sub = nc.subscribe(subject, { callback: (err, m) => !err && msgs.push({ subject: m.subject, data: m.data }) });
  return { msgs, sub };
}

export const utf8 = (s: string) => new TextEncoder().encode(s);
export const json = (v: unknown) => utf8(JSON.stringify(v));

/** Wait for a conversation to reach `state`. */
export const reach = (c: Conversation, state: string, ms = 15_000) => until(() => c.state === state, ms, () => `${c.direction} conversation ${state} (is ${c.state})`);

/** One line about a conversation's media for failure messages. */
export async function diag(c: Conversation | undefined): Promise<string> {
  if (!c) return 'no conversation';
  const pc = c.peerConnection;
  const out = [`${c.direction} ${c.state}${c.closeReason ? `(${c.closeReason})` : ''}`];
  if (pc) {
    out.push(`ice ${pc.iceConnectionState} conn ${pc.connectionState}`);
    try {
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp') out.push(`in ${r.kind} bytes ${r.bytesReceived} decoded ${r.framesDecoded ?? '-'}`);
        if (r.type === 'outbound-rtp') out.push(`out ${r.kind} bytes ${r.bytesSent} encoded ${r.framesEncoded ?? '-'}`);
      });
    } catch {
      out.push('no stats');
    }
  }
  return out.join(', ');
}
