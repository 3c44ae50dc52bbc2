// The contract between the browser SDK, the token service and every test
// fake: who a user is (the uid rule), which subjects carry their calls, which
// inbox answers their requests, what they may publish and subscribe to, and
// the session the token service hands out. The server imports this module
// and nothing else of the browser package, so the permissions it issues and
// the subjects the SDK uses are derived from the same functions and cannot
// drift. See docs/security.md and docs/protocol.md.
//
// Keep this file free of DOM and Node APIs: it compiles for both.

import { isUid } from './ids.js';

// The uid rule (one NATS subject token) and the call/device id rule.
export { UID_RE, isUid, ID_RE, isId } from './ids.js';

/** Every message type of the wire protocol (the subject's last token). */
export const MESSAGE_TYPES = ['invite', 'busy', 'answer', 'reject', 'cancel', 'taken', 'hangup', 'cand', 'reoffer', 'reanswer'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
export const isMessageType = (v: string): v is MessageType => (MESSAGE_TYPES as readonly string[]).includes(v);

/** All signaling lives under `wd.u.<to>.<from>.<type>`. */
const ROOT = 'wd.u';

/** The subject of a message from `from` to `to`. */
export const subjectFor = (to: string, from: string, type: MessageType) => `${ROOT}.${to}.${from}.${type}`;
/** What a client subscribes to: everything addressed to it. */
export const inboundSubject = (self: string) => `${ROOT}.${self}.>`;
/** What a client may publish to: anyone, but always with itself as the sender. */
export const outboundSubject = (self: string) => `${ROOT}.*.${self}.>`;
/** A client's request inboxes (nats.ws `inboxPrefix`): replies to its requests land below it. */
export const inboxPrefix = (self: string) => `_INBOX.${self}`;

/**
 * Call history (docs/protocol.md, "Call history"). A client reports its own
 * calls on `wd.ev.<self>` (the uid is enforced, so a report always speaks for
 * its sender), asks the history service on `wd.svc.<self>.<op>`, and hears
 * notices (`missed_call`, `call_record`) on `wd.n.<self>.<kind>`. Nobody but the service
 * touches JetStream (`wd.hist.>`, `$JS.API.>`).
 */
export const eventSubject = (self: string) => `wd.ev.${self}`;
export const serviceSubject = (self: string, op: 'history' | 'seen') => `wd.svc.${self}.${op}`;
export type NoticeKind = 'missed_call' | 'call_record';
export const noticeSubject = (self: string, kind: NoticeKind | '*') => `wd.n.${self}.${kind}`;

/** What a client reports about one of its own calls, on eventSubject(self). */
export interface CallReport {
  v: 1;
  /** ringing: the caller heard `ringing`; answered: the call was answered; ended: it closed. */
  k: 'ringing' | 'answered' | 'ended';
  callId: string;
  /** The other party. */
  peer: string;
  role: 'caller' | 'callee';
  /** ended: the close reason (state.ts CloseReason). */
  reason?: string;
  /** ended: whether the call was answered. */
  answered?: boolean;
  /** ended and answered: ms from the answer to the end. */
  durationMs?: number;
  /** ms since the call began (its invite), on the reporter's own clock; the server subtracts it from its clock. */
  agoMs?: number;
  /** The invite's data (caller: what it sent; callee: what it got), at most HISTORY_DATA_LIMIT bytes or left out. */
  data?: unknown;
}

/** Bytes of invite `data` a history record keeps (as JSON); more is left out of the record. */
export const HISTORY_DATA_LIMIT = 1024;

export type CallOutcome = 'answered' | 'missed' | 'rejected' | 'busy' | 'unavailable' | 'timeout' | 'cancelled' | 'failed';

/** One entry of a user's call history, as `history()` returns it and `missed_call` carries it. */
export interface CallRecord {
  callId: string;
  caller: string;
  callee: string;
  /** From the owner's side. */
  direction: 'incoming' | 'outgoing';
  /** When the call began, ms since the epoch on the server's clock. */
  at: number;
  /** `missed`: an incoming call that rang out, was cancelled, or found the owner offline or busy (`reason` says which). */
  outcome: CallOutcome;
  reason?: string;
  /** Answered calls: ms from the answer to the end. */
  durationMs?: number;
  data?: unknown;
  /** The owner marked it seen (markSeen). */
  seen: boolean;
}

/** The parts of a signaling subject, or undefined when it is not one. */
export function parseSubject(subject: string): { to: string; from: string; type: string } | undefined {
  const tok = subject.split('.');
  if (tok.length !== 5 || `${tok[0]}.${tok[1]}` !== ROOT) return undefined;
  return { to: tok[2]!, from: tok[3]!, type: tok[4]! };
}

/**
 * The reply guard: answer a request only when its reply inbox belongs to the
 * subject's sender. An unchecked reply subject lets a peer make us publish to anyone.
 */
export const replyAllowed = (from: string, reply: string | undefined): reply is string =>
  typeof reply === 'string' && reply.startsWith(`${inboxPrefix(from)}.`) && !/[\s*>]/.test(reply);

/** Responses to requests: once, within this window (nanoseconds, as NATS JWTs want them). */
export const RESPONSE_TTL_NS = 5_000_000_000;

/** The subject permissions of one user: the security model in one place. */
export function permissionsFor(uid: string) {
  if (!isUid(uid)) throw new Error(`not a uid: ${JSON.stringify(uid)}`);
  return permissionsOf(uid);
}

/**
 * The placeholder nats-server (2.9+) replaces, in a scoped signing key's
 * template, with the name of the user JWT being checked: the token service
 * names each user JWT after its uid.
 */
export const UID_PLACEHOLDER = '{{name()}}';

/**
 * `permissionsFor(uid)` with the uid left as `{{name()}}`: the template of the
 * account's scoped signing key, so a key that signs user JWTs can grant nothing
 * else (docs/security.md, "What a sign-in issues").
 */
export const permissionsTemplate = () => permissionsOf(UID_PLACEHOLDER);

function permissionsOf(uid: string) {
  return {
    // The sender is the 4th token and is the uid itself: nobody can speak as another user.
    // Call reports and history requests likewise carry the uid as a token (docs/security.md, "Call history").
    pub: { allow: [outboundSubject(uid), eventSubject(uid), `wd.svc.${uid}.*`] },
    // Only your own inbound subjects, notices and request inboxes.
    sub: { allow: [inboundSubject(uid), `wd.n.${uid}.>`, `${inboxPrefix(uid)}.>`] },
    // Replying to a request is allowed once, briefly, to the requester's inbox.
    resp: { max: 1, ttl: RESPONSE_TTL_NS },
  };
}

/** A TURN/STUN server as RTCPeerConnection takes it (structurally RTCIceServer). */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** What `POST /v1/session` returns: who you are and how to connect. */
export interface Session {
  uid: string;
  nats: { servers: string[]; jwt: string };
  iceServers: IceServer[];
  /** Milliseconds since the epoch, on the server's clock. */
  expiresAt: number;
  /**
   * Seconds the credentials stay valid from when they were issued: clients
   * schedule their refresh from this, on their own clock, so a clock that is
   * off by hours does not matter (expiresAt would be read against it).
   */
  ttl: number;
  /**
   * Whether this token service rings by Web Push (it has VAPID keys). A caller
   * asks `POST /v1/push/ring` only when it is not false; absent from servers
   * older than push, where the request answers 404 as before.
   */
  push?: boolean;
}

// Web Push payloads and endpoints: the token service builds what the service worker shows.
export * from './push-contract.js';
