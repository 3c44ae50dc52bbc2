import type { MediaStats } from '../internal/sdk.js';

/**
 * The network-quality level the indicator shows, from the receive-side stats:
 * 0 unknown, 1 poor … 4 excellent. Round-trip delay sets the level; packets
 * lost since the previous sample (2 s earlier) and a starved bitrate lower it.
 */
export function qualityOf(stats: MediaStats | undefined, previous?: MediaStats): number {
  if (!stats || !(stats.bitrate > 0)) return 0;
  const delay = Number.isFinite(stats.delay) && stats.delay >= 0 ? stats.delay : 200;
  let q = delay <= 150 ? 4 : delay <= 300 ? 3 : delay <= 600 ? 2 : 1;
  const lost = previous ? Math.max(0, stats.packetsLost - previous.packetsLost) : 0;
  if (lost > 20) q -= 2;
  else if (lost > 5) q -= 1;
  if (stats.bitrate < 10_000) q = Math.min(q, 1);
  return Math.max(1, Math.min(4, q));
}
