// The SDK's public API: the Wilddog-style facade and the typed classes under it.
export { wdVideo, WdVideo } from './wilddog.js';
export { VideoClient, type VideoClientOptions, type VideoClientEvents, type ClientStatus, type MessageCounters } from './client.js';
export { Conversation, type ConversationEvents, type CallOptions } from './conversation.js';
export { CallState, CallStatus, CloseReason, transitions, isRinging, isLive } from './state.js';
export { WdVideoError, ErrorCodes, type ErrorCode } from './errors.js';
export { LocalStream, type LocalStreamOptions, type LocalStreamEvents, type DeviceSwitch } from './media/local-stream.js';
export { RemoteStream, type RemoteStreamEvents, type SpeakerSwitch } from './media/remote-stream.js';
export { createLocalStream, DIMENSIONS, type CreateLocalStreamOptions, type Dimension } from './media/create-local-stream.js';
export { listDevices, deviceWatch, type Device, type DeviceKind, type DeviceList, type DeviceChange, type DeviceEvents } from './media/devices.js';
export { checkNetwork, type NetworkCheckOptions, type NetworkReport, type ProbeResult, type RelayResult } from './checks/index.js';
export type { MediaStats } from './media/stats.js';
export { webRtcSupported } from './media/webrtc-support.js';
export { Emitter } from './emitter.js';
export { UID_RE, isUid, type Session, type IceServer, type CallRecord, type CallOutcome } from './contract.js';
export type { HistoryOptions } from './history.js';
