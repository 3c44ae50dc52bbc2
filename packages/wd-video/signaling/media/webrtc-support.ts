// Whether this browser can hold a call at all. Some cannot: WebKitGTK builds
// without GStreamer WebRTC (Debian's, for one), or a browser where a privacy
// setting turned WebRTC off. There RTCPeerConnection is undefined, and the SDK
// says so with its own error instead of a ReferenceError from deep inside.
import { WdVideoError } from '../errors.js';

/** True when this browser has WebRTC (RTCPeerConnection). Sign-in, presence and the camera work without it; calls do not. */
export const webRtcSupported = (): boolean => typeof globalThis.RTCPeerConnection === 'function';

/** Throws `webrtc_unsupported` naming `what` when this browser has no WebRTC. */
export function assertWebRtc(what: string): void {
  if (!webRtcSupported()) throw new WdVideoError('webrtc_unsupported', `${what}: this browser has no WebRTC (RTCPeerConnection is missing), so it cannot place or take calls`);
}
