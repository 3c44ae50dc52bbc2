// Server-side call events: what the history service learns from the clients'
// call reports, for the operator's backend (webhooks consume them). Shared
// contract of issue 14: keep this type exactly as it is.
export type CallEventKind = 'ringing' | 'answered' | 'missed' | 'rejected' | 'ended';
export interface CallEvent {
  kind: CallEventKind;
  callId: string;
  caller: string;
  callee: string;
  at: number /* ms epoch, server clock */;
  reason?: string /* e.g. timeout, unavailable, cancelled, busy, hangup reason */;
  durationMs?: number /* ended only */;
}
export type CallEventSink = (e: CallEvent) => void;
