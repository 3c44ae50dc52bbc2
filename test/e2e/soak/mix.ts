// The soak's calls: a fixed cycle of 20, so any run of N calls is the same
// mix every time. Callers alternate (even calls alice, odd calls bob), and
// each caller gets every kind within one cycle: 12 answered (some media, then
// a hang-up from either side), 4 cancelled by the caller while ringing, 2 ring
// timeouts, 2 rejected.

export type CallKind = 'answer' | 'cancel' | 'timeout' | 'reject';
export const KINDS: readonly CallKind[] = ['answer', 'cancel', 'timeout', 'reject'];

const CYCLE: readonly CallKind[] = [
  'answer', 'answer', 'cancel', 'timeout', 'answer', 'cancel', 'answer', 'answer', 'timeout', 'answer',
  'cancel', 'answer', 'answer', 'cancel', 'answer', 'answer', 'answer', 'answer', 'reject', 'reject',
];

export interface PlannedCall {
  index: number;
  kind: CallKind;
  /** 0: alice calls bob; 1: bob calls alice. */
  caller: 0 | 1;
  /** Answered calls: which side hangs up (alternates over the answered calls of each caller). */
  hangsUp: 'caller' | 'callee';
}

export function plannedCall(index: number): PlannedCall {
  const kind = CYCLE[index % CYCLE.length]!;
  const caller = (index % 2) as 0 | 1;
  // Every 2nd answered call of each caller is ended by the callee: both directions of hang-up, from both pages.
  const hangsUp = Math.floor(index / 2) % 2 === 0 ? 'caller' : 'callee';
  return { index, kind, caller, hangsUp };
}
