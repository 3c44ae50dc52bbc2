// The default TransportFactory: nats.ws, imported on first connect so a page
// that never signs in does not load it (and bundles put it in its own chunk).
import type { TransportFactory } from '../transport.js';

export const natsTransport: TransportFactory = async (options) => (await import('./nats-transport.js')).connectNats(options);
