// Shared helpers for SDK tests in Chromium against the real stack.
import { VideoClient, type Conversation, type VideoClientOptions } from '../../../signaling/index.js';

declare global {
  interface Window {
    WD_TEST: { authUrl: string };
  }
}

export const authUrl = () => window.WD_TEST.authUrl;
export const uniqueUid = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

const clients: VideoClient[] = [];
const streams: MediaStream[] = [];

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

export async function cleanup() {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const s of streams.splice(0)) s.getTracks().forEach((t) => t.stop());
}

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
    let n = 0;
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`only ${n} frames in ${ms} ms`)), ms);
      const tick = () => {
        if (++n >= frames) {
          clearTimeout(timer);
          ok();
        } else v.requestVideoFrameCallback(tick);
      };
      v.requestVideoFrameCallback(tick);
    });
  } finally {
    v.remove();
  }
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
  return { a, b, ca, cb, sa, sb };
}
