// A client reports each of its own calls to the history service
// (docs/protocol.md, "Call history"): `ringing` and `answered` as they happen
// (the caller only; they become the server's call events) and `ended` on
// both sides (it writes the history records). Fire and forget: history is a
// record, not part of the call, so no report ever delays or fails one.
import { HISTORY_DATA_LIMIT, type CallReport } from './contract.js';
import type { Conversation } from './conversation.js';
import { dataSize } from './protocol.js';

export function reportCall(conv: Conversation, send: (r: CallReport) => void): void {
  const began = Date.now();
  const ownCallId = conv.callId;
  let answeredAt: number | undefined;
  // Glare turns our outgoing call into answering theirs (a new callId): then we are its callee.
  const role = (): CallReport['role'] => (conv.direction === 'outgoing' && conv.callId === ownCallId ? 'caller' : 'callee');
  const base = () => ({ v: 1 as const, callId: conv.callId, peer: conv.remoteUid, role: role() });
  conv.on('state', (s) => {
    if (s === 'ringing' && role() === 'caller') send({ ...base(), k: 'ringing' });
    if ((s === 'answering' || s === 'connecting') && answeredAt === undefined) {
      answeredAt = Date.now();
      if (role() === 'caller') send({ ...base(), k: 'answered' });
    }
  });
  conv.on('closed', (reason) => {
    const now = Date.now();
    const answered = answeredAt !== undefined;
    send({
      ...base(),
      k: 'ended',
      reason,
      answered,
      ...(answered ? { durationMs: now - answeredAt! } : {}),
      agoMs: now - began,
      ...(conv.data !== undefined && dataSize(conv.data) <= HISTORY_DATA_LIMIT ? { data: conv.data } : {}),
    });
  });
}
