// Reading the call history and its notices (docs/protocol.md, "Call
// history"). What the service sends is checked like any other input: a
// record that does not have the shape of one is left out, never shown.
import { isId, isUid, type CallOutcome, type CallRecord } from './contract.js';

export interface HistoryOptions {
  /** Only missed calls. */
  missedOnly?: boolean;
  /** At most this many, newest first (1..200, default 50). */
  limit?: number;
}

const OUTCOMES: readonly CallOutcome[] = ['answered', 'missed', 'rejected', 'busy', 'unavailable', 'timeout', 'cancelled', 'failed'];

/** A CallRecord, or undefined when `v` is not one. */
export function toRecord(v: unknown): CallRecord | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  if (!isId(r.callId) || !isUid(r.caller) || !isUid(r.callee)) return undefined;
  if ((r.direction !== 'incoming' && r.direction !== 'outgoing') || typeof r.at !== 'number' || !OUTCOMES.includes(r.outcome as CallOutcome)) return undefined;
  if (r.durationMs !== undefined && typeof r.durationMs !== 'number') return undefined;
  if (r.reason !== undefined && typeof r.reason !== 'string') return undefined;
  return {
    callId: r.callId,
    caller: r.caller,
    callee: r.callee,
    direction: r.direction,
    at: r.at,
    outcome: r.outcome as CallOutcome,
    ...(typeof r.reason === 'string' ? { reason: r.reason } : {}),
    ...(typeof r.durationMs === 'number' ? { durationMs: r.durationMs } : {}),
    ...(r.data !== undefined ? { data: r.data } : {}),
    seen: r.seen === true,
  };
}

/** The service's reply to a history request: the records, or its error code. */
export function parseHistoryReply(bytes: Uint8Array): { records: CallRecord[] } | { error: string } {
  let v: { records?: unknown; error?: unknown };
  try {
    v = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { error: 'bad_reply' };
  }
  if (typeof v?.error === 'string') return { error: v.error };
  if (!Array.isArray(v?.records)) return { error: 'bad_reply' };
  return { records: v.records.map(toRecord).filter((r): r is CallRecord => !!r) };
}

/** The service's reply to a seen request: undefined when done, else its error code. */
export function parseSeenReply(bytes: Uint8Array): string | undefined {
  try {
    const v = JSON.parse(new TextDecoder().decode(bytes)) as { ok?: unknown; error?: unknown };
    return v?.ok === true ? undefined : typeof v?.error === 'string' ? v.error : 'bad_reply';
  } catch {
    return 'bad_reply';
  }
}

/** A `missed_call` or `call_record` notice's record, or undefined. */
export function parseNotice(bytes: Uint8Array): CallRecord | undefined {
  if (bytes.length > 16_384) return undefined;
  try {
    const v = JSON.parse(new TextDecoder().decode(bytes)) as { v?: unknown; record?: unknown };
    return v?.v === 1 ? toRecord(v.record) : undefined;
  } catch {
    return undefined;
  }
}
