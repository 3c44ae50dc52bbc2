// The wire protocol: subjects `wd.u.<to>.<from>.<type>` and JSON payloads.
// decode() validates everything a peer controls; anything malformed comes back
// as a drop reason, never as an exception or a half-valid message.
import { ID_RE, isMessageType, isUid, MESSAGE_TYPES, parseSubject, subjectFor, type MessageType } from './contract.js';

export const PROTOCOL_VERSION = 1;
/** Limits on fields a peer controls (bytes / counts). */
export const LIMITS = {
  /** Custom user data, as UTF-8 JSON. */
  data: 4096,
  sdp: 48 * 1024,
  candidate: 1024,
  candidatesPerMessage: 32,
  payload: 60 * 1024,
  /** Longest ring, ms: call()'s timeout may not ask more, and an invite's ttl rings at most this long. */
  ring: 120_000,
} as const;

/**
 * Largest payload of each type, bytes, checked before parsing: the type is in
 * the subject, so junk typed as a small message costs a length check, not a
 * JSON.parse of up to 60 KB. Only the types that carry SDP may be big.
 */
export const PAYLOAD_LIMITS: Readonly<Record<MessageType, number>> = {
  invite: LIMITS.payload,
  answer: LIMITS.payload,
  reoffer: LIMITS.payload,
  reanswer: LIMITS.payload,
  // The SDK sends at most 16 candidates of ~200 bytes; 16 KB leaves room for long mDNS/TURN lines.
  cand: 16 * 1024,
  // ids, a device, a reason: under 300 bytes as the SDK writes them.
  busy: 1024,
  reject: 1024,
  cancel: 1024,
  taken: 1024,
  hangup: 1024,
};

const REASON_RE = /^[a-z_]{1,32}$/;

export interface IceCandidateLine {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
}

interface Base {
  callId: string;
  /** Sending device (one uid may be signed in on several). */
  dev: string;
  /** Target device, when the sender knows which device holds the call. */
  to?: string;
}
export type Message =
  | (Base & { type: 'invite'; sdp: string; data?: unknown; relay: boolean; ttl: number })
  | (Base & { type: 'busy' })
  | (Base & { type: 'answer'; sdp: string })
  | (Base & { type: 'reject' })
  | (Base & { type: 'cancel'; reason: string })
  | (Base & { type: 'taken'; by: string })
  | (Base & { type: 'hangup'; reason: string })
  | (Base & { type: 'cand'; c: IceCandidateLine[] })
  | (Base & { type: 'reoffer'; sdp: string })
  | (Base & { type: 'reanswer'; sdp: string });
export type { MessageType };
// The contract's list of types and this union must name the same types.
const sameTypes: [MessageType] extends [Message['type']] ? ([Message['type']] extends [MessageType] ? true : never) : never = true;
void sameTypes;
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;

/** Replies to a request (invite, or a reliable message). */
export type Reply = { t: 'ringing' | 'busy' | 'glare' | 'ack'; callId: string; dev?: string };

/** Messages that must not be lost: sent as requests, acknowledged, retried. */
export const RELIABLE: ReadonlySet<MessageType> = new Set(['answer', 'reject', 'cancel', 'taken', 'hangup', 'busy', 'reoffer', 'reanswer']);


const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

export function encode(msg: Message): Uint8Array {
  const { type: _type, ...body } = msg;
  return enc.encode(JSON.stringify({ v: PROTOCOL_VERSION, ...body }));
}
export const encodeReply = (r: Reply) => enc.encode(JSON.stringify({ v: PROTOCOL_VERSION, ...r }));

/** Byte size of user data as it travels; undefined data is 0. */
export function dataSize(data: unknown): number {
  if (data === undefined) return 0;
  const json = JSON.stringify(data);
  if (json === undefined) return Infinity;
  return enc.encode(json).length;
}

/** The longest subject the protocol has (64-char uids, the longest type): anything longer is not worth splitting. */
const MAX_SUBJECT = Math.max(...MESSAGE_TYPES.map((t) => subjectFor('u'.repeat(64), 'u'.repeat(64), t).length));

export type Decoded = { ok: true; from: string; msg: Message } | { ok: false; reason: string };

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** Validate one inbound message addressed to `self`. */
export function decode(self: string, subject: string, data: Uint8Array): Decoded {
  // nats-server lets a sender append tokens (`wd.u.<to>.<from>.>`): up to 4 KB of them.
  const parts = subject.length <= MAX_SUBJECT ? parseSubject(subject) : undefined;
  if (!parts) return { ok: false, reason: 'bad_subject' };
  const { to, from, type } = parts;
  if (to !== self) return { ok: false, reason: 'not_for_me' };
  if (!isUid(from)) return { ok: false, reason: 'bad_sender' };
  // Everything up to here reads the subject only: junk costs no parsing.
  if (!isMessageType(type)) return { ok: false, reason: 'unknown_type' };
  if (data.length > PAYLOAD_LIMITS[type]) return { ok: false, reason: 'oversize' };
  let p: Record<string, unknown>;
  try {
    const v = JSON.parse(dec.decode(data));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, reason: 'bad_json' };
    p = v;
  } catch {
    return { ok: false, reason: 'bad_json' };
  }
  if (p.v !== PROTOCOL_VERSION) return { ok: false, reason: 'bad_version' };
  if (!str(p.callId, 64) || !ID_RE.test(p.callId)) return { ok: false, reason: 'bad_call_id' };
  if (!str(p.dev, 64) || !ID_RE.test(p.dev)) return { ok: false, reason: 'bad_device' };
  if (p.to !== undefined && (!str(p.to, 64) || !ID_RE.test(p.to))) return { ok: false, reason: 'bad_device' };
  const base: Base = { callId: p.callId, dev: p.dev, ...(p.to !== undefined ? { to: p.to as string } : {}) };
  const sdpOk = () => str(p.sdp, LIMITS.sdp) && (p.sdp as string).startsWith('v=0');
  const reasonOk = () => typeof p.reason === 'string' && REASON_RE.test(p.reason);
  let msg: Message | undefined;
  switch (type) {
    case 'invite':
      // 600 s is the v1 wire bound (older SDKs could ask it): still valid, but it rings at most LIMITS.ring.
      if (!sdpOk() || typeof p.relay !== 'boolean' || !Number.isInteger(p.ttl) || (p.ttl as number) <= 0 || (p.ttl as number) > 600_000) break;
      if (dataSize(p.data) > LIMITS.data) return { ok: false, reason: 'oversize_data' };
      msg = { ...base, type, sdp: p.sdp as string, relay: p.relay, ttl: p.ttl as number, ...(p.data !== undefined ? { data: p.data } : {}) };
      break;
    case 'answer':
    case 'reoffer':
    case 'reanswer':
      if (sdpOk()) msg = { ...base, type, sdp: p.sdp as string };
      break;
    case 'busy':
    case 'reject':
      msg = { ...base, type };
      break;
    case 'cancel':
    case 'hangup':
      if (reasonOk()) msg = { ...base, type, reason: p.reason as string };
      break;
    case 'taken':
      if (str(p.by, 64) && ID_RE.test(p.by)) msg = { ...base, type, by: p.by };
      break;
    case 'cand': {
      const c = p.c;
      if (!Array.isArray(c) || c.length === 0 || c.length > LIMITS.candidatesPerMessage) break;
      if (!c.every(validCandidate)) break;
      msg = { ...base, type, c: c as IceCandidateLine[] };
      break;
    }
  }
  return msg ? { ok: true, from, msg } : { ok: false, reason: `bad_${type}` };
}

function validCandidate(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const c = x as Record<string, unknown>;
  // An empty candidate string is the legal end-of-candidates marker.
  if (typeof c.candidate !== 'string' || c.candidate.length > LIMITS.candidate) return false;
  if (c.sdpMid !== undefined && c.sdpMid !== null && (typeof c.sdpMid !== 'string' || c.sdpMid.length > 32)) return false;
  if (c.sdpMLineIndex !== undefined && c.sdpMLineIndex !== null && (!Number.isInteger(c.sdpMLineIndex) || (c.sdpMLineIndex as number) < 0 || (c.sdpMLineIndex as number) > 64)) return false;
  return true;
}

/** Decode a reply; undefined when malformed. */
export function decodeReply(data: Uint8Array): Reply | undefined {
  try {
    const p = JSON.parse(dec.decode(data));
    if (p?.v !== PROTOCOL_VERSION || !['ringing', 'busy', 'glare', 'ack'].includes(p.t) || !str(p.callId, 64) || !ID_RE.test(p.callId)) return undefined;
    return { t: p.t, callId: p.callId, ...(typeof p.dev === 'string' && ID_RE.test(p.dev) ? { dev: p.dev } : {}) };
  } catch {
    return undefined;
  }
}


/** Random id for calls and devices (URL-safe, 16 chars). */
export function randomId(): string {
  const b = new Uint8Array(12);
  crypto.getRandomValues(b);
  return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_');
}
