// The package's internal entry (`wd-video/internal`): what tests, fakes and
// benchmarks reach into. Not a public API: it may change in any release.
export { withSeams, seamsOf, type ClientSeams } from './seams.js';
export { NoRespondersError, RequestTimeoutError, type Transport, type TransportFactory, type TransportOptions, type TransportStatus, type InboundMessage } from '../transport.js';
export { connectNats, PING_INTERVAL_MS } from './nats-transport.js';
export { MOVE_OVERLAP_MS, NO_RESPONDERS_GRACE_MS, WAKE_PING_MS, REJECT_COOLDOWN_MS } from '../client.js';
export { selectedPair } from '../media/stats.js';
export * from '../protocol.js';
export * from '../contract.js';
export * from '../state.js';
