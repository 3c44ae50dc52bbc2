// Does a TURN relay allocation succeed, and what is the round trip through it?
// Two peer connections in this page, both relay-only, connect to each other
// through the session's TURN servers and echo a few data-channel messages.
import type { IceServer } from '../contract.js';
import { webRtcSupported } from '../media/webrtc-support.js';
import { bounded, median, type ProbeResult } from './probe.js';

/**
 * `reason` on failure: `no_relay` (the session has no TURN server),
 * `refused` (the relay refused the credentials: a server-side problem),
 * `blocked` (no answer from the relay: a firewall blocks it),
 * `no_data` (allocated, but no data passed through it),
 * `webrtc_unsupported` (this browser has no WebRTC: it cannot call at all).
 */
export interface RelayResult extends ProbeResult {
  /** ms until the first relay candidate (the allocation, with its authentication round trips). */
  allocationMs?: number;
}

const ECHOES = 5;

export async function probeRelay(iceServers: IceServer[], timeoutMs: number): Promise<RelayResult> {
  const turn = iceServers.filter((s) => [s.urls].flat().some((u) => /^turns?:/i.test(u)));
  if (!turn.length) return { ok: false, reason: 'no_relay', message: 'the session lists no TURN server' };
  if (!webRtcSupported()) return { ok: false, reason: 'webrtc_unsupported', message: 'this browser has no WebRTC (RTCPeerConnection is missing): it cannot use a relay, nor call' };
  const config: RTCConfiguration = { iceServers: turn, iceTransportPolicy: 'relay' };
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  const errorCodes: number[] = [];
  let allocationMs: number | undefined;
  const t0 = performance.now();
  try {
    a.addEventListener('icecandidateerror', (e) => errorCodes.push((e as RTCPeerConnectionIceErrorEvent).errorCode));
    a.addEventListener('icecandidate', (e) => {
      if (!e.candidate) return;
      if (allocationMs === undefined && e.candidate.type === 'relay') allocationMs = Math.round(performance.now() - t0);
      void b.addIceCandidate(e.candidate).catch(() => {});
    });
    b.addEventListener('icecandidate', (e) => e.candidate && void a.addIceCandidate(e.candidate).catch(() => {}));
    b.addEventListener('datachannel', ({ channel }) => channel.addEventListener('message', (m) => channel.send(m.data as string)));
    const channel = a.createDataChannel('wd-relay-check');
    const open = new Promise<void>((ok) => channel.addEventListener('open', () => ok(), { once: true }));
    // Gathering ends without a relay candidate: refused or blocked, no need to wait longer.
    const noRelay = new Promise<void>((ok) =>
      a.addEventListener('icegatheringstatechange', () => a.iceGatheringState === 'complete' && allocationMs === undefined && ok()),
    );
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription!);
    try {
      await bounded(Promise.race([open, noRelay.then(() => Promise.reject(new Error('no relay candidate')))]), timeoutMs, 'relay');
    } catch (e) {
      return failure(allocationMs, errorCodes, e as Error);
    }
    const times: number[] = [];
    for (let i = 0; i < ECHOES; i++) times.push(await bounded(echo(channel, String(i)), timeoutMs, 'relay echo'));
    // An echo crosses the relay twice (a -> relay -> b, and back): half of it is this browser's round trip to the relay.
    return { ok: true, ms: median(times) / 2, allocationMs };
  } catch (e) {
    return failure(allocationMs, errorCodes, e as Error);
  } finally {
    a.close();
    b.close();
  }
}

function failure(allocationMs: number | undefined, errorCodes: number[], e: Error): RelayResult {
  if (allocationMs !== undefined) return { ok: false, reason: 'no_data', allocationMs, message: `relay allocated, but no data passed: ${e.message}` };
  // 401: the TURN server answered and refused the REST credentials.
  if (errorCodes.includes(401)) return { ok: false, reason: 'refused', message: 'the relay refused the credentials (401)' };
  return { ok: false, reason: 'blocked', message: `no relay allocation${errorCodes.length ? ` (ICE errors ${errorCodes.join(', ')})` : ''}: ${e.message}` };
}

function echo(channel: RTCDataChannel, payload: string): Promise<number> {
  return new Promise((ok) => {
    const t0 = performance.now();
    const onMessage = (m: MessageEvent) => {
      if (m.data !== payload) return;
      channel.removeEventListener('message', onMessage);
      ok(performance.now() - t0);
    };
    channel.addEventListener('message', onMessage);
    channel.send(payload);
  });
}
