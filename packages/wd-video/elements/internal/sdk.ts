// The elements reach the call SDK through this module only. Values are loaded
// on first use with a dynamic import, so a bundle can put the SDK in a separate
// chunk and the elements render before it arrives; types are erased. The one
// static exception is the state predicates below.
import type * as Sdk from '../../signaling/index.js';

export type SdkModule = typeof Sdk;
export type {
  VideoClient,
  VideoClientEvents,
  Conversation,
  ConversationEvents,
  LocalStream,
  LocalStreamEvents,
  RemoteStream,
  RemoteStreamEvents,
  Device,
  DeviceEvents,
  DeviceList,
  NetworkCheckOptions,
  DeviceSwitch,
  NetworkReport,
  WdVideoError,
  MediaStats,
  ClientStatus,
  CallRecord,
} from '../../signaling/index.js';

// Tiny pure functions with no imports: loaded with the elements, so a template
// can ask "is it ringing / live?" before the SDK chunk arrives.
export { isRinging, isLive } from '../../signaling/state.js';

export type ConversationState = Sdk.CallState;
export type CloseReason = Sdk.CloseReason;
export type ResponseStatus = Sdk.CallStatus;

let loading: Promise<SdkModule> | undefined;

/** The SDK module, imported once. */
export function loadSdk(): Promise<SdkModule> {
  return (loading ??= import('../../signaling/index.js'));
}
