// Turns RTCPeerConnection.getStats() into the numbers a caller shows: size,
// frame rate, bytes, bitrate, round-trip delay and whether media is relayed.

export interface MediaStats {
  width: number;
  height: number;
  fps: number;
  /** Total bytes sent (local) or received (remote) for video + audio. */
  bytes: number;
  /** bits per second over the last interval. */
  bitrate: number;
  /** Round-trip time in ms on the selected candidate pair. */
  delay: number;
  path: 'p2p' | 'relay' | 'unknown';
  packetsLost: number;
}

export interface StatsSample {
  local: MediaStats;
  remote: MediaStats;
  at: number;
}

type Report = Record<string, unknown> & { type: string; id: string };

/**
 * The candidate pair media flows on: the transport's selected pair where the
 * browser reports transports, else the nominated pair that succeeded, else
 * (older Firefox) the one flagged `selected`.
 */
function selectedCandidatePair(all: Report[], byId: Map<string, Report>): Report | undefined {
  const transport = all.find((r) => r.type === 'transport' && r.selectedCandidatePairId);
  return (
    (transport ? byId.get(transport.selectedCandidatePairId as string) : undefined) ??
    all.find((r) => r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') ??
    all.find((r) => r.type === 'candidate-pair' && r.selected === true)
  );
}

export async function sampleStats(pc: RTCPeerConnection, previous?: StatsSample): Promise<StatsSample> {
  const report = await pc.getStats();
  const all: Report[] = [];
  report.forEach((r) => all.push(r as Report));
  const byId = new Map(all.map((r) => [r.id, r]));
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

  let delay = 0;
  let path: MediaStats['path'] = 'unknown';
  const pair = selectedCandidatePair(all, byId);
  if (pair) {
    delay = Math.round(num(pair.currentRoundTripTime) * 1000);
    const l = byId.get(pair.localCandidateId as string);
    const r = byId.get(pair.remoteCandidateId as string);
    if (l && r) path = l.candidateType === 'relay' || r.candidateType === 'relay' ? 'relay' : 'p2p';
  }
  const at = Date.now();
  const side = (type: 'outbound-rtp' | 'inbound-rtp', prev?: MediaStats): MediaStats => {
    const rtp = all.filter((r) => r.type === type);
    const video = rtp.find((r) => r.kind === 'video');
    const bytes = rtp.reduce((s, r) => s + num(type === 'outbound-rtp' ? r.bytesSent : r.bytesReceived), 0);
    const dt = previous ? (at - previous.at) / 1000 : 0;
    return {
      width: num(video?.frameWidth),
      height: num(video?.frameHeight),
      fps: num(video?.framesPerSecond),
      bytes,
      bitrate: prev && dt > 0 ? Math.max(0, Math.round(((bytes - prev.bytes) * 8) / dt)) : 0,
      delay,
      path,
      packetsLost: rtp.reduce((s, r) => s + num(r.packetsLost), 0),
    };
  };
  return { local: side('outbound-rtp', previous?.local), remote: side('inbound-rtp', previous?.remote), at };
}

/** The selected ICE candidate pair's local and remote types, for tests and diagnostics. */
export async function selectedPair(pc: RTCPeerConnection): Promise<{ local: string; remote: string } | undefined> {
  const all: Report[] = [];
  (await pc.getStats()).forEach((r) => all.push(r as Report));
  const byId = new Map(all.map((r) => [r.id, r]));
  const pair = selectedCandidatePair(all, byId);
  const l = pair && byId.get(pair.localCandidateId as string);
  const r = pair && byId.get(pair.remoteCandidateId as string);
  return l && r ? { local: l.candidateType as string, remote: r.candidateType as string } : undefined;
}
