// The network check, loaded on first use: a page that only calls never downloads it.
import type { NetworkCheckOptions, NetworkReport } from './network-check.js';

export type { NetworkCheckOptions, NetworkReport } from './network-check.js';
export type { ProbeResult } from './probe.js';
export type { RelayResult } from './relay-probe.js';

/**
 * Signs in once, then measures the NATS round trip and whether a TURN relay
 * allocation succeeds (and the round trip through it). Never throws for a
 * network failure: each step reports `ok` and a `reason`.
 */
export async function checkNetwork(options: NetworkCheckOptions): Promise<NetworkReport> {
  return (await import('./network-check.js')).checkNetwork(options);
}
