// What happened to a call, as the server saw it: the one shape that call
// history, webhooks and any other server-side consumer share.
export type CallEventKind = 'ringing' | 'answered' | 'missed' | 'rejected' | 'ended';
export interface CallEvent {
  kind: CallEventKind;
  callId: string;
  caller: string;
  callee: string;
  /** ms since the epoch, server clock */
  at: number;
  /** e.g. timeout, unavailable, cancelled, busy, or the hang-up reason */
  reason?: string;
  /** ended only */
  durationMs?: number;
}
export type CallEventSink = (e: CallEvent) => void;
