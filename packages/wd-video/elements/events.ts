// The DOM events of the elements: all bubble and cross shadow roots; the ones a
// page may veto are cancelable. Each is a CustomEvent with a typed `detail`,
// listed in GlobalEventHandlersEventMap so `addEventListener` is typed.
import type {
  CallRecord,
  ClientStatus,
  CloseReason,
  Conversation,
  ConversationState,
  MediaStats,
  RemoteStream,
  ResponseStatus,
  WdVideoError,
} from './internal/sdk.js';
import type { WdCall } from './call/call.js';

/**
 * `<wd-call>`'s `state`: `preparing` while it opens the camera and microphone for
 * a call, `idle` when it holds no conversation, else the conversation's state,
 * with the SDK's `answering` shown as `connecting` (docs/states.md).
 */
export type WdCallState = 'preparing' | 'idle' | Exclude<ConversationState, 'closed' | 'answering'>;

export interface WdConnectedDetail {
  /** Who this client is signed in as. */
  uid: string;
}
export interface WdStatusDetail {
  status: ClientStatus;
  previous: ClientStatus;
}
export interface WdErrorDetail {
  error: WdVideoError | Error;
}
export interface WdIncomingDetail {
  /** The ringing conversation: `accept(stream)` or `reject()` it if you cancel the event. */
  conversation: Conversation;
}
export interface WdResponseDetail {
  status: ResponseStatus;
}
export interface WdStreamReceivedDetail {
  stream: RemoteStream;
}
export interface WdClosedDetail {
  reason: CloseReason | undefined;
}
export interface WdStateChangeDetail {
  state: WdCallState;
  previous: WdCallState;
}
export interface WdStatsDetail {
  /** `local` = what we send, `remote` = what we receive. */
  direction: 'local' | 'remote';
  stats: MediaStats;
  /** 0 (unknown) to 4 (excellent), as the indicator shows it. */
  quality: number;
}
export interface WdAcceptDetail {
  conversation: Conversation;
  /** The `<wd-call>` that takes the call. */
  call: WdCall;
}

export interface WdMissedCallDetail {
  /** The missed call's history record (caller, time, the invite's data, how it ended). */
  record: CallRecord;
}
export interface WdCallBackDetail {
  /** Who is called back. */
  uid: string;
  /** The `<wd-call>` that places the call. */
  call: WdCall;
}

export type WdConnectedEvent = CustomEvent<WdConnectedDetail>;
export type WdDisconnectedEvent = CustomEvent<WdStatusDetail>;
export type WdStatusChangeEvent = CustomEvent<WdStatusDetail>;
export type WdTokenErrorEvent = CustomEvent<WdErrorDetail>;
export type WdErrorEvent = CustomEvent<WdErrorDetail>;
export type WdIncomingEvent = CustomEvent<WdIncomingDetail>;
export type WdResponseEvent = CustomEvent<WdResponseDetail>;
export type WdStreamReceivedEvent = CustomEvent<WdStreamReceivedDetail>;
export type WdClosedEvent = CustomEvent<WdClosedDetail>;
export type WdStateChangeEvent = CustomEvent<WdStateChangeDetail>;
export type WdStatsEvent = CustomEvent<WdStatsDetail>;
export type WdRingEvent = CustomEvent<WdIncomingDetail>;
export type WdAcceptEvent = CustomEvent<WdAcceptDetail>;
export type WdDeclineEvent = CustomEvent<WdIncomingDetail>;
export type WdMissedCallEvent = CustomEvent<WdMissedCallDetail>;
export type WdCallBackEvent = CustomEvent<WdCallBackDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'wd-connected': WdConnectedEvent;
    'wd-disconnected': WdDisconnectedEvent;
    'wd-status-change': WdStatusChangeEvent;
    'wd-token-error': WdTokenErrorEvent;
    'wd-error': WdErrorEvent;
    'wd-incoming': WdIncomingEvent;
    'wd-response': WdResponseEvent;
    'wd-stream-received': WdStreamReceivedEvent;
    'wd-closed': WdClosedEvent;
    'wd-state-change': WdStateChangeEvent;
    'wd-stats': WdStatsEvent;
    'wd-ring': WdRingEvent;
    'wd-accept': WdAcceptEvent;
    'wd-decline': WdDeclineEvent;
    'wd-missed-call': WdMissedCallEvent;
    'wd-call-back': WdCallBackEvent;
  }
}
