// The conversation's states and the ONE table of legal moves between them.

export const CallState = {
  /** Caller: invite being sent. */
  Calling: 'calling',
  /** Caller: the callee's device(s) ring. */
  Ringing: 'ringing',
  /** Callee: an invite rings here, not yet answered. */
  Incoming: 'incoming',
  /**
   * Answered here (accept(), or the caller side of a glare adopting the winning
   * invite): our answer is being made and delivered. `stream_received` waits
   * until accept() has resolved.
   */
  Answering: 'answering',
  /** Answer exchanged, ICE connecting. */
  Connecting: 'connecting',
  /** Media path up. */
  Connected: 'connected',
  /** Media path lost; ICE restart in progress. */
  Reconnecting: 'reconnecting',
  Closed: 'closed',
} as const;
export type CallState = (typeof CallState)[keyof typeof CallState];

/** Every legal move; anything else is a bug (docs/states.md). */
export const transitions: Readonly<Record<CallState, readonly CallState[]>> = {
  // The answer may overtake the invite's `ringing` reply; glare turns our call into answering theirs.
  calling: ['ringing', 'connecting', 'answering', 'closed'],
  ringing: ['connecting', 'answering', 'closed'],
  incoming: ['answering', 'closed'],
  // ICE may connect before the caller's acknowledgement of our answer comes back.
  answering: ['connecting', 'connected', 'closed'],
  connecting: ['connected', 'closed'],
  connected: ['reconnecting', 'closed'],
  reconnecting: ['connected', 'closed'],
  closed: [],
};

export const canMove = (from: CallState, to: CallState) => transitions[from].includes(to);

/** Not answered yet, on either side: our call rings there, or theirs rings here. */
export const isRinging = (s: CallState) => s === 'calling' || s === 'ringing' || s === 'incoming';
/** Answered and not over: media is being set up, flows, or is being restored. */
export const isLive = (s: CallState) => s === 'answering' || s === 'connecting' || s === 'connected' || s === 'reconnecting';

/** Why a conversation ended. */
export const CloseReason = {
  Hangup: 'hangup',
  Cancelled: 'cancelled',
  Rejected: 'rejected',
  Busy: 'busy',
  Timeout: 'timeout',
  Unavailable: 'unavailable',
  AnsweredElsewhere: 'answered_elsewhere',
  Replaced: 'replaced',
  IceFailed: 'ice_failed',
  MediaFailed: 'media_failed',
  SignalingLost: 'signaling_lost',
} as const;
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];

/** What the caller hears back: Wilddog's statuses plus UNAVAILABLE (callee offline). */
export const CallStatus = {
  Accepted: 'ACCEPTED',
  Rejected: 'REJECTED',
  Busy: 'BUSY',
  Timeout: 'TIMEOUT',
  Unavailable: 'UNAVAILABLE',
} as const;
export type CallStatus = (typeof CallStatus)[keyof typeof CallStatus];
