// What the person chose on a call notification reaches the page two ways: the
// service worker posts it to an open page, or opens the page with it in the
// hash (`#wd-answer=<callId>` / `#wd-decline=<callId>`). Either way the call
// itself arrives as the caller's retried invite once the page has signed in;
// the client then answers or declines it (client.ts).
import { isId } from './contract.js';
import { ACTION_HASH, CHOICE_CACHE, CHOICE_KEY, type PushAction, type RecordedChoice } from './push-contract.js';

export type NotificationChoice = Pick<PushAction, 'action' | 'callId'> & {
  /** Whether the service worker made this choice: always for its messages; for a URL hash, once its record is found. */
  confirmed: Promise<boolean>;
};

/** Whether the worker recorded exactly this choice (and it is still current); the record is used up. */
async function recorded(action: string, callId: string): Promise<boolean> {
  try {
    const cache = await caches.open(CHOICE_CACHE);
    const r = (await (await cache.match(CHOICE_KEY))?.json()) as RecordedChoice | undefined;
    await cache.delete(CHOICE_KEY);
    return r?.action === action && r.callId === callId && Date.now() <= r.until;
  } catch {
    return false; // no Cache Storage (not a secure context): a hash alone never answers
  }
}

/**
 * The choice in this page's URL, removed from it (a reload must not answer
 * again); undefined when there is none. It counts only once `confirmed`: a
 * link anyone can send must not answer their call.
 */
export function choiceFromUrl(): NotificationChoice | undefined {
  if (typeof location === 'undefined' || !location.hash) return undefined;
  const params = new URLSearchParams(location.hash.slice(1));
  for (const action of ['accept', 'decline'] as const) {
    const callId = params.get(ACTION_HASH[action]);
    if (isId(callId)) {
      params.delete(ACTION_HASH[action]);
      const rest = params.toString();
      history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
      return { action, callId, confirmed: recorded(action, callId) };
    }
  }
  return undefined;
}

/** Calls `cb` for each choice a service worker posts to this page; returns the unsubscribe. */
export function onWorkerChoice(cb: (c: NotificationChoice) => void): () => void {
  if (typeof navigator === 'undefined' || !navigator.serviceWorker) return () => {};
  const listener = (e: MessageEvent) => {
    const m = e.data as Partial<PushAction> | undefined;
    if (m?.type !== 'wd-push-action' || (m.action !== 'accept' && m.action !== 'decline') || !isId(m.callId)) return;
    // Only this origin's service workers post here.
    cb({ action: m.action, callId: m.callId, confirmed: Promise.resolve(true) });
  };
  navigator.serviceWorker.addEventListener('message', listener);
  return () => navigator.serviceWorker.removeEventListener('message', listener);
}
