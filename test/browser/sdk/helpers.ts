// Shared helpers for SDK tests in Chromium against the real stack.
import { connect, jwtAuthenticator, type NatsConnection, type Subscription } from 'nats.ws';
import { countFrames } from '../frames.js';
import { VideoClient, type Conversation, type Session, type VideoClientOptions } from 'wd-video';

declare global {
  interface Window {
    WD_TEST: { authUrl: string };
  }
}

export const authUrl = () => window.WD_TEST.authUrl;
export const uniqueUid = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

const clients: VideoClient[] = [];
const streams: MediaStream[] = [];
/** Extra teardown registered by tests (raw NATS connections, video elements, LocalStreams). */
const disposers: (() => unknown)[] = [];

/** Run `fn` in cleanup(), also when the test failed. */
export function onCleanup(fn: () => unknown) {
  disposers.push(fn);
}

/** A started client signed in anonymously as `uid`; closed by cleanup(). */
export async function client(uid: string, options: Partial<VideoClientOptions> = {}): Promise<VideoClient> {
  const c = new VideoClient({ authUrl: authUrl(), anonymous: { uid }, ...options });
  clients.push(c);
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

export async function cleanup() {
  for (const d of disposers.splice(0).reverse()) {
    try {
      await d();
    } catch {
      // keep tearing down
    }
  }
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
  for (const s of streams.splice(0)) s.getTracks().forEach((t) => t.stop());
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type Ev = { on(e: string, f: (...a: any[]) => void): unknown; off(e: string, f: (...a: any[]) => void): unknown };

/** Resolves with the first event's arguments; rejects after `ms`. */
export function next<T = unknown>(em: Ev, event: string, ms = 15_000): Promise<T> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no "${event}" within ${ms} ms`)), ms);
    const f = (...a: unknown[]) => {
      clearTimeout(timer);
      em.off(event, f);
      ok(a[0] as T);
    };
    em.on(event, f);
  });
}

export async function until(cond: () => boolean | Promise<boolean>, ms = 15_000, what = 'condition') {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Nothing of `event` for `ms`. */
export function none(em: Ev, event: string, ms: number): Promise<void> {
  return new Promise((ok, fail) => {
    const f = () => fail(new Error(`unexpected "${event}"`));
    em.on(event, f);
    setTimeout(() => {
      em.off(event, f);
      ok();
    }, ms);
  });
}

/** Resolves once a <video> playing `stream` has decoded `frames` new frames. */
export async function framesArrive(stream: MediaStream, frames = 3, ms = 15_000): Promise<void> {
  const v = document.createElement('video');
  v.muted = true;
  v.playsInline = true;
  v.srcObject = stream;
  document.body.append(v);
  try {
    await v.play();
    await countFrames(v, frames, ms);
  } finally {
    v.remove();
  }
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
export async function connectedPair(options: { relay?: boolean; data?: unknown } = {}) {
  const a = await client(uniqueUid('alice'));
  const b = await client(uniqueUid('bob'));
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

/** Every emission of `events` on `em`, in order, with a timestamp. */
export interface Recorded {
  event: string;
  args: unknown[];
  at: number;
}
export function record(em: Ev, events: string[]): Recorded[] {
  const log: Recorded[] = [];
  for (const event of events) em.on(event, (...args: unknown[]) => log.push({ event, args, at: performance.now() }));
  return log;
}
export const argsOf = (log: Recorded[], event: string) => log.filter((r) => r.event === event).map((r) => r.args[0]);

/**
 * Counts decoded frames of `stream` in a <video> via requestVideoFrameCallback,
 * from now until cleanup() (or stop()). `times` holds performance.now() of each frame.
 */
export function frameCounter(stream: MediaStream) {
  const v = document.createElement('video');
  v.muted = true;
  v.playsInline = true;
  v.width = 160;
  v.srcObject = stream;
  document.body.append(v);
  const times: number[] = [];
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    times.push(performance.now());
    v.requestVideoFrameCallback(tick);
  };
  v.requestVideoFrameCallback(tick);
  void v.play().catch(() => {});
  const stop = () => {
    stopped = true;
    v.srcObject = null;
    v.remove();
  };
  onCleanup(stop);
  return {
    video: v,
    times,
    stop,
    /** Frames presented in [from, to]. */
    between: (from: number, to: number) => times.filter((t) => t >= from && t <= to).length,
    /** Longest gap between consecutive frames in [from, to]. */
    maxGap(from: number, to: number) {
      const ts = times.filter((t) => t >= from && t <= to);
      let gap = ts.length ? Math.max(ts[0] - from, to - ts[ts.length - 1]) : to - from;
      for (let i = 1; i < ts.length; i++) gap = Math.max(gap, ts[i] - ts[i - 1]);
      return gap;
    },
    /** Resolves once `n` more frames arrived. */
    async more(n = 3, ms = 10_000) {
      const goal = times.length + n;
      await until(() => times.length >= goal, ms, `${n} more frames`);
    },
  };
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

/** Sign in at the token service like the SDK does, without the SDK. */
export async function signIn(uid: string): Promise<Session> {
  const res = await fetch(authUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ anonymous: { uid } }),
  });
  if (!res.ok) throw new Error(`sign-in as ${uid} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as Session;
}

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
/** An id that passes the SDK's id syntax (8-64 of [A-Za-z0-9_-]). */
export const fakeId = () => `fake${Math.random().toString(36).slice(2, 14)}`;

/** Wait for a conversation to reach `state`. */
export const reach = (c: Conversation, state: string, ms = 15_000) => until(() => c.state === state, ms, `${c.direction} conversation ${state} (is ${c.state})`);

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
