// Shared set-up for the element tests: real token service, nats-server and
// coturn (started by `npm test`), two signed-in clients on one page. Waiting
// and ids come from test/shared, frame counting from test/browser/frames.ts.
import { fixture, html } from '@open-wc/testing';
import { waitUntil } from '../wait.js';
import 'wd-video/elements';
import type { WdCall, WdIncomingCall, WdVideoClient } from 'wd-video/elements';
import { uniqueUid } from '../../shared/ids.js';
import { within } from '../../shared/wait.js';
import { authUrl } from '../env.js';
import { countFrames } from '../frames.js';

/** The element's shadow part `name` (first match). */
export function part<T extends Element = HTMLElement>(el: Element, name: string): T {
  const found = el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
  if (!found) throw new Error(`<${el.localName}> has no part "${name}"`);
  return found;
}

/** Visible = rendered and not hidden by the `hidden` attribute or display:none. */
export const visible = (el: Element) => (el as HTMLElement).offsetParent !== null || getComputedStyle(el).position === 'fixed' && getComputedStyle(el).display !== 'none';

export async function connected(client: WdVideoClient, ms = 15_000) {
  await waitUntil(() => client.status === 'connected', `client ${client.uid} did not connect (status ${client.status})`, { timeout: ms });
}

/** Resolves with the first `name` event on `target`; rejects after `ms`. */
export function nextEvent<K extends keyof GlobalEventHandlersEventMap>(target: EventTarget, name: K, ms = 15_000): Promise<GlobalEventHandlersEventMap[K]> {
  let f: (e: Event) => void = () => {};
  const got = new Promise<GlobalEventHandlersEventMap[K]>((ok) => {
    f = (e) => ok(e as GlobalEventHandlersEventMap[K]);
    target.addEventListener(name, f, { once: true });
  });
  return within(got, ms, `no ${name}`).finally(() => target.removeEventListener(name, f));
}

/** Every `names` event on `target`, in order. */
export function recordEvents(target: EventTarget, names: (keyof GlobalEventHandlersEventMap)[]) {
  const log: { type: string; detail: unknown; event: Event }[] = [];
  for (const n of names) target.addEventListener(n, (e) => log.push({ type: n, detail: (e as CustomEvent).detail, event: e }));
  return log;
}

export interface Pair {
  root: HTMLElement;
  alice: WdVideoClient;
  bob: WdVideoClient;
  call: WdCall;
  incoming: WdIncomingCall;
  aliceUid: string;
  bobUid: string;
}

/**
 * alice (a `<wd-call>` aimed at bob) and bob (a `<wd-incoming-call>`), both
 * signed in. `callAttrs` / `incomingAttrs` are set on the elements before they connect.
 */
export async function pair(
  opts: { callAttrs?: Record<string, string>; incomingAttrs?: Record<string, string>; bobExtra?: boolean } = {},
): Promise<Pair> {
  const aliceUid = uniqueUid('alice');
  const bobUid = uniqueUid('bob');
  const root = await fixture<HTMLElement>(html`
    <div>
      <wd-video-client id="alice" auth-url=${authUrl()} anonymous uid=${aliceUid}>
        <wd-call remote-uid=${bobUid}></wd-call>
      </wd-video-client>
      <wd-video-client id="bob" auth-url=${authUrl()} anonymous uid=${bobUid}>
        <wd-incoming-call></wd-incoming-call>
      </wd-video-client>
    </div>
  `);
  const alice = root.querySelector<WdVideoClient>('#alice')!;
  const bob = root.querySelector<WdVideoClient>('#bob')!;
  const call = alice.querySelector('wd-call')!;
  const incoming = bob.querySelector('wd-incoming-call')!;
  for (const [k, v] of Object.entries(opts.callAttrs ?? {})) call.setAttribute(k, v);
  for (const [k, v] of Object.entries(opts.incomingAttrs ?? {})) incoming.setAttribute(k, v);
  await Promise.all([connected(alice), connected(bob)]);
  await call.updateComplete;
  return { root, alice, bob, call, incoming, aliceUid, bobUid };
}

/** alice calls, bob's dialog rings. */
export async function ringing(p: Pair) {
  const ring = nextEvent(p.incoming, 'wd-ring');
  await p.call.start();
  await ring;
  await p.incoming.updateComplete;
}

/** alice calls, bob accepts in the dialog, both connected. */
export async function inCall(p: Pair): Promise<WdCall> {
  await ringing(p);
  const accepted = nextEvent(p.incoming, 'wd-accept');
  part(p.incoming, 'accept-button').click();
  const { detail } = await accepted;
  await waitUntil(() => p.call.state === 'connected' && detail.call.state === 'connected', 'both sides connected', { timeout: 15_000 });
  return detail.call;
}

/** Resolves once the <video> part shows `frames` new frames and its currentTime advanced. */
export async function videoMoves(video: HTMLVideoElement, frames = 5, ms = 15_000) {
  const t0 = video.currentTime;
  await countFrames(video, frames, ms);
  await waitUntil(() => video.currentTime > t0, 'currentTime advances', { timeout: ms });
}

export type { WdCall, WdIncomingCall, WdVideoClient };
