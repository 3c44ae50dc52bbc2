// Validating a client's call report (wd.ev.<sender>) and turning it into
// history records and call events. Pure functions: the rules of who may
// write what live here (docs/security.md, "Call history").
import { HISTORY_DATA_LIMIT, isId, isUid, type CallOutcome, type CallRecord, type CallReport } from 'wd-video/contract';
import type { CallEvent } from '../call-events.js';

/** Bytes of a report before it is even parsed: an invite's data (1 KB kept) plus ids fit in 4 KB. */
export const REPORT_LIMIT = 8192;
const REASON_RE = /^[a-z_]{1,32}$/;
const DAY_MS = 86_400_000;
const isMs = (v: unknown, max = DAY_MS): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;

/** A valid report from `sender`, or the reason it is dropped. */
export function parseReport(sender: string, bytes: Uint8Array): { ok: true; report: CallReport } | { ok: false; reason: string } {
  if (bytes.length > REPORT_LIMIT) return { ok: false, reason: 'oversize' };
  let r: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, reason: 'bad_json' };
    r = v as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'bad_json' };
  }
  if (r.v !== 1) return { ok: false, reason: 'bad_version' };
  if (r.k !== 'ringing' && r.k !== 'answered' && r.k !== 'ended') return { ok: false, reason: 'bad_kind' };
  if (!isId(r.callId)) return { ok: false, reason: 'bad_call_id' };
  if (!isUid(r.peer) || r.peer === sender) return { ok: false, reason: 'bad_peer' };
  if (r.role !== 'caller' && r.role !== 'callee') return { ok: false, reason: 'bad_role' };
  if (r.reason !== undefined && (typeof r.reason !== 'string' || !REASON_RE.test(r.reason))) return { ok: false, reason: 'bad_reason' };
  if (r.answered !== undefined && typeof r.answered !== 'boolean') return { ok: false, reason: 'bad_answered' };
  if (r.durationMs !== undefined && !isMs(r.durationMs)) return { ok: false, reason: 'bad_duration' };
  if (r.agoMs !== undefined && !isMs(r.agoMs)) return { ok: false, reason: 'bad_ago' };
  if (r.k === 'ended' && (r.reason === undefined || r.answered === undefined)) return { ok: false, reason: 'bad_ended' };
  const report: CallReport = { v: 1, k: r.k, callId: r.callId, peer: r.peer, role: r.role };
  for (const key of ['reason', 'answered', 'durationMs', 'agoMs'] as const) if (r[key] !== undefined) (report as unknown as Record<string, unknown>)[key] = r[key];
  if (r.data !== undefined && new TextEncoder().encode(JSON.stringify(r.data)).length <= HISTORY_DATA_LIMIT) report.data = r.data;
  return { ok: true, report };
}

/** Unanswered ends the callee is told about as a missed call (a reject is the callee's own doing). */
const MISSED: ReadonlySet<string> = new Set(['timeout', 'unavailable', 'cancelled', 'busy']);
const CALLER_OUTCOMES: ReadonlySet<string> = new Set(['rejected', 'busy', 'unavailable', 'timeout', 'cancelled']);

/** What to store: an owner's record, and whether it is a missed call to notify. */
export interface Write {
  owner: string;
  record: Omit<CallRecord, 'seen'>;
  missed: boolean;
}

/**
 * The records an `ended` report writes. The rules: a report writes the
 * sender's own record; the only record it writes for anyone else is the
 * callee's missed call, from the CALLER's report of the caller's own call
 * (only X can say "X called you").
 */
export function recordsOf(sender: string, r: CallReport, now: number): Write[] {
  if (r.k !== 'ended') return [];
  // agoMs spans the whole call, from the invite: the reporter's clock never meets ours.
  const at = now - (r.agoMs ?? 0);
  const base = { callId: r.callId, at, ...(r.data !== undefined ? { data: r.data } : {}) };
  const reason = r.reason!;
  if (r.role === 'caller') {
    const outcome: CallOutcome = r.answered ? 'answered' : CALLER_OUTCOMES.has(reason) ? (reason as CallOutcome) : 'failed';
    const own: Write = {
      owner: sender,
      record: { ...base, caller: sender, callee: r.peer, direction: 'outgoing', outcome, reason, ...(r.answered ? { durationMs: r.durationMs ?? 0 } : {}) },
      missed: false,
    };
    if (r.answered || !MISSED.has(reason)) return [own];
    return [own, { owner: r.peer, record: { ...base, caller: sender, callee: r.peer, direction: 'incoming', outcome: 'missed', reason }, missed: true }];
  }
  // The callee writes only its own history: answered, rejected, or rung out here.
  const incoming = { ...base, caller: r.peer, callee: sender, direction: 'incoming' as const, reason };
  if (r.answered) return [{ owner: sender, record: { ...incoming, outcome: 'answered', durationMs: r.durationMs ?? 0 }, missed: false }];
  if (reason === 'rejected') return [{ owner: sender, record: { ...incoming, outcome: 'rejected' }, missed: false }];
  if (reason === 'timeout' || reason === 'cancelled') return [{ owner: sender, record: { ...incoming, outcome: 'missed' }, missed: true }];
  return []; // answered_elsewhere (another device of ours has it), replaced, ...
}

/** The call event a report stands for. Only the caller's reports make events: one voice per call. */
export function callEventOf(sender: string, r: CallReport, now: number): CallEvent | undefined {
  if (r.role !== 'caller') return undefined;
  const ids = { callId: r.callId, caller: sender, callee: r.peer, at: now };
  if (r.k === 'ringing') return { kind: 'ringing', ...ids };
  if (r.k === 'answered') return { kind: 'answered', ...ids };
  if (r.answered) return { kind: 'ended', ...ids, reason: r.reason!, durationMs: r.durationMs ?? 0 };
  return { kind: r.reason === 'rejected' ? 'rejected' : 'missed', ...ids, reason: r.reason! };
}
