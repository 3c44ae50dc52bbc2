// A call event as a webhook: Standard Webhooks' {type, timestamp, data}
// envelope, and an id that is the idempotency key.
import type { CallEvent } from '../call-events.js';

export interface WebhookMessage {
  /**
   * `webhook-id`: the same for every attempt and for the same event reported
   * twice (a retry, or two token service replicas seeing it), so a receiver
   * that remembers ids processes each event once. A call has one event of
   * each kind, so callId and kind name it.
   */
  id: string;
  body: string;
}

export function webhookMessage(e: CallEvent): WebhookMessage {
  const data: Record<string, unknown> = { callId: e.callId, caller: e.caller, callee: e.callee };
  if (e.reason !== undefined) data.reason = e.reason;
  if (e.durationMs !== undefined) data.durationMs = e.durationMs;
  const body = JSON.stringify({ type: `call.${e.kind}`, timestamp: new Date(e.at).toISOString(), data });
  return { id: `${e.callId}_${e.kind}`, body };
}
