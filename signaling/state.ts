// The conversation's states and the ONE table of legal moves between them.

export const CallState = {
  /** Caller: invite being sent. */
  Calling: 'calling',
  /** Caller: the callee's device(s) ring. */
  Ringing: 'ringing',
  /** Callee: an invite rings here, not yet answered. */
  Incoming: 'incoming',
  /** Answer exchanged, ICE connecting. */
  Connecting: 'connecting',
  /** Media path up. */
  Connected: 'connected',
  /** Media path lost; ICE restart in progress. */
  Reconnecting: 'reconnecting',
  Closed: 'closed',
} as const;
export type CallState = (typeof CallState)[keyof typeof CallState];

export const transitions: Readonly<Record<CallState, readonly CallState[]>> = {
  calling: ['ringing', 'connecting', 'closed'],
  ringing: ['connecting', 'closed'],
  incoming: ['connecting', 'closed'],
  connecting: ['connected', 'closed'],
  connected: ['reconnecting', 'closed'],
  reconnecting: ['connected', 'closed'],
  closed: [],
};

export const canMove = (from: CallState, to: CallState) => transitions[from].includes(to);

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
