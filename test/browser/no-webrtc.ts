// For the tests of a browser without WebRTC: in WebKit here there is none; in
// the other engines RTCPeerConnection is hidden for the test, so the same
// checks run everywhere and cannot pass by accident in one engine only.
import { onCleanup } from './cleanup.js';

/** Until the end of the test this page has no RTCPeerConnection, whatever the engine. */
export function withoutWebRtc() {
  const g = globalThis as { RTCPeerConnection?: unknown };
  if (typeof g.RTCPeerConnection !== 'function') return;
  const saved = g.RTCPeerConnection;
  g.RTCPeerConnection = undefined;
  onCleanup(() => (g.RTCPeerConnection = saved));
}
