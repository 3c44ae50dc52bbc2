// What a Web Push carries, shared by the token service (which builds it), the
// service worker (which shows it) and the SDK (which shows the same
// notification for a hidden tab). Keep this file free of DOM and Node APIs.
import { isId, isUid } from './ids.js';

/** Push endpoints of the token service, relative to its sign-in URL (`/v1/session` -> `/v1/push/...`). */
export const PUSH_PATHS = {
  key: 'push/key',
  subscription: 'push/subscription',
  ring: 'push/ring',
  cancel: 'push/cancel',
} as const;

/** Largest invite `data` a push carries (UTF-8 JSON bytes); larger data is left out, the call still rings. */
export const PUSH_DATA_LIMIT = 1024;

/** "<caller> is calling": shown with Accept and Decline until `expiresAt`. */
export interface RingPush {
  type: 'ring';
  caller: string;
  callId: string;
  /** Ms since the epoch, the server's clock: the ring's end. */
  expiresAt: number;
  /** The invite's data when small (PUSH_DATA_LIMIT); never SDP. */
  data?: unknown;
}

/** The caller stopped ringing: withdraw the notification of `callId`. */
export interface CancelPush {
  type: 'cancel';
  caller: string;
  callId: string;
  /** Why: a call that rang out or was cancelled leaves a "missed call" notice; one answered elsewhere leaves nothing. */
  reason: 'cancelled' | 'timeout' | 'answered';
}

export type PushPayload = RingPush | CancelPush;

export const CANCEL_REASONS: readonly CancelPush['reason'][] = ['cancelled', 'timeout', 'answered'];

/** A push payload from the network (the service worker's input), or undefined when malformed. */
export function parsePushPayload(v: unknown): PushPayload | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const p = v as Record<string, unknown>;
  if (!isUid(p.caller) || !isId(p.callId)) return undefined;
  if (p.type === 'ring' && typeof p.expiresAt === 'number' && Number.isFinite(p.expiresAt)) {
    return { type: 'ring', caller: p.caller, callId: p.callId, expiresAt: p.expiresAt, ...(p.data !== undefined ? { data: p.data } : {}) };
  }
  if (p.type === 'cancel' && CANCEL_REASONS.includes(p.reason as CancelPush['reason'])) {
    return { type: 'cancel', caller: p.caller, callId: p.callId, reason: p.reason as CancelPush['reason'] };
  }
  return undefined;
}

/** What the service worker tells a page (postMessage) or puts in the URL it opens (`#wd-answer=` / `#wd-decline=`). */
export interface PushAction {
  type: 'wd-push-action';
  action: 'accept' | 'decline';
  callId: string;
  caller: string;
}

export const ACTION_HASH = { accept: 'wd-answer', decline: 'wd-decline' } as const;

/**
 * Where the worker records a choice before it opens a page with it in the hash
 * (Cache Storage: shared by the worker and the origin's pages, written by
 * nobody else). The page acts on a hash only when this record confirms it: a
 * link someone sends with `#wd-answer=<the id of the call they are about to
 * place>` must not answer their call with the camera on.
 */
export const CHOICE_CACHE = 'wd-video-push';
export const CHOICE_KEY = '/wd-video-push/choice';

/** The record: what was chosen, for which call, until when (ms since the epoch). */
export interface RecordedChoice {
  action: PushAction['action'];
  callId: string;
  until: number;
}

/** What a notification shows; plain data (no DOM types), given to `registration.showNotification(title, options)`. */
export interface NotificationSpec {
  title: string;
  options: {
    tag: string;
    body: string;
    data: unknown;
    actions?: { action: string; title: string }[];
    requireInteraction?: boolean;
    renotify?: boolean;
    timestamp?: number;
  };
}

/**
 * The notifications' words, in the elements' languages (their strings.ts says
 * the same). A service worker has no page to ask, so the caller passes the
 * browser's language (the worker's navigator.language); anything but Chinese is English.
 */
const NOTIFICATION_TEXTS = {
  en: { calling: '{uid} is calling', body: 'Video call', accept: 'Accept', decline: 'Decline', missed: 'Missed call from {uid}' },
  zhCN: { calling: '{uid} 来电', body: '视频通话', accept: '接听', decline: '拒绝', missed: '{uid} 的未接来电' },
};
const textsFor = (lang: string | undefined) => (/^zh\b/i.test(lang ?? '') ? NOTIFICATION_TEXTS.zhCN : NOTIFICATION_TEXTS.en);
// A function replacement: a uid is never read as a `$&` pattern.
const naming = (text: string, uid: string) => text.replace('{uid}', () => uid);

/** "<caller> is calling" with Accept and Decline, tagged with the call id (one notification per call, on every path). */
export function ringNotification(ring: RingPush, lang?: string): NotificationSpec {
  const t = textsFor(lang);
  return {
    title: naming(t.calling, ring.caller),
    options: {
      tag: ring.callId,
      body: t.body,
      data: ring,
      actions: [
        { action: 'accept', title: t.accept },
        { action: 'decline', title: t.decline },
      ],
      // A call waits for a decision; it goes when the caller stops (a cancel push, or the page closes it).
      requireInteraction: true,
      renotify: true,
    },
  };
}

/** What a ring leaves behind when the caller gave up: the callee learns the call happened. */
export function missedNotification(cancel: CancelPush, lang?: string): NotificationSpec {
  const t = textsFor(lang);
  return { title: naming(t.missed, cancel.caller), options: { tag: `missed-${cancel.callId}`, body: t.body, data: cancel } };
}
